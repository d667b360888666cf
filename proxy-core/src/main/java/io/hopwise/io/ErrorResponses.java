package io.hopwise.io;

import io.hopwise.http.HttpFields;
import io.hopwise.http.Rejection;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** The one place that writes the proxy's own error responses: short plain text, then close. */
public final class ErrorResponses {
  private static final Map<Integer, String> REASONS = Map.ofEntries(
      Map.entry(400, "Bad Request"),
      Map.entry(403, "Forbidden"),
      Map.entry(405, "Method Not Allowed"),
      Map.entry(407, "Proxy Authentication Required"),
      Map.entry(408, "Request Timeout"),
      Map.entry(413, "Content Too Large"),
      Map.entry(414, "URI Too Long"),
      Map.entry(431, "Request Header Fields Too Large"),
      Map.entry(500, "Internal Server Error"),
      Map.entry(501, "Not Implemented"),
      Map.entry(502, "Bad Gateway"),
      Map.entry(503, "Service Unavailable"),
      Map.entry(504, "Gateway Timeout"),
      Map.entry(505, "HTTP Version Not Supported"),
      Map.entry(508, "Loop Detected"));

  private ErrorResponses() {}

  public static String reasonPhrase(int status) {
    return REASONS.getOrDefault(status, "Error");
  }

  /**
   * A complete response for a rejection. Always {@code Connection: close}: after a refused request
   * we cannot trust where the next one starts (http-rules: "reject" closes the connection).
   */
  public static Buffer render(Rejection rejection, String pseudonym, boolean headOnly) {
    return render(rejection, pseudonym, headOnly, HttpFields.EMPTY);
  }

  /** With extra fields, e.g. {@code Proxy-Authenticate} on a 407 or {@code Allow} on a 405. */
  public static Buffer render(Rejection rejection, String pseudonym, boolean headOnly, HttpFields extra) {
    byte[] body = ("hopwise: " + rejection.reason() + "\n").getBytes(StandardCharsets.UTF_8);
    HttpFields.Builder fields = HttpFields.builder()
        .add("Content-Type", "text/plain; charset=utf-8")
        .add("Content-Length", Integer.toString(body.length));
    extra.forEach(fields::add);
    if (rejection.status() == 503) {
      fields.add("Retry-After", "1");
    }
    if (pseudonym != null) {
      fields.add("Via", "1.1 " + pseudonym);
    }
    Buffer b = MessageWriter.responseHead(rejection.status(), reasonPhrase(rejection.status()),
        fields.build(), io.hopwise.http.BodyFraming.length(body.length), "close");
    return headOnly ? b : b.appendBytes(body);
  }
}
