package io.hopwise.http;

import java.nio.charset.StandardCharsets;

/** Responses the proxy gives itself instead of forwarding: fields and body, no I/O. */
public final class LocalAnswers {
  /** The methods we forward; TRACE is added when it is allowed. */
  public static final String ALLOW = "GET, HEAD, POST, PUT, DELETE, OPTIONS, PATCH, CONNECT";

  private LocalAnswers() {}

  /** A 200 answer's fields (Content-Length included) and body. */
  public record Answer(HttpFields fields, byte[] body) {
    static Answer of(HttpFields.Builder fields, byte[] body) {
      return new Answer(fields.add("Content-Length", Integer.toString(body.length)).build(), body);
    }
  }

  /**
   * Max-Forwards reached zero (RFC 9110 7.6.2): OPTIONS is answered with what we allow; TRACE
   * with the request as received (message/http, RFC 9110 9.3.8), minus credentials.
   */
  public static Answer maxForwardsReached(RequestHead request, boolean allowTrace) {
    if (!request.method().equals("TRACE")) {
      return Answer.of(HttpFields.builder().add("Allow", allowTrace ? ALLOW + ", TRACE" : ALLOW), new byte[0]);
    }
    StringBuilder echo = new StringBuilder(request.method() + " " + request.target() + " "
        + request.version().text() + "\r\n");
    for (HttpField f : request.fields()) {
      if (!f.is("Proxy-Authorization") && !f.is("Authorization") && !f.is("Cookie")) {
        echo.append(f.name()).append(": ").append(f.value()).append("\r\n");
      }
    }
    byte[] body = echo.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1);
    return Answer.of(HttpFields.builder().add("Content-Type", "message/http"), body);
  }

  /** The PAC script, for {@code GET /proxy.pac}. */
  public static Answer pacFile(RequestHead request, String listenHost, int listenPort) {
    byte[] body = PacFile.body(request.fields().get("Host"), listenHost, listenPort);
    return Answer.of(HttpFields.builder().add("Content-Type", PacFile.CONTENT_TYPE)
        .add("Cache-Control", "max-age=300"), body);
  }
}
