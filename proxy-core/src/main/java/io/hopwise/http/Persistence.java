package io.hopwise.http;

/**
 * Whether a connection persists after this message, decided for each hop on its own (the client's
 * {@code Connection: close} closes the client hop, not our pooled upstream connection; http-rules A6).
 */
public final class Persistence {
  private Persistence() {}

  /**
   * The client hop (RFC 9112 9.3): HTTP/1.1 persists unless "close" is present. An HTTP/1.0
   * client's keep-alive is honoured only if configured (9.3.1: a dumb proxy may be between us and
   * have forwarded it blindly). Proxy-Connection counts like Connection for this hop (http-rules A3).
   */
  public static boolean clientPersistent(HttpVersion version, HttpFields fields, boolean honorHttp10KeepAlive) {
    if (fields.hasToken("Connection", "close") || fields.hasToken("Proxy-Connection", "close")) {
      return false;
    }
    if (version == HttpVersion.HTTP_1_1) {
      return true;
    }
    return honorHttp10KeepAlive
        && (fields.hasToken("Connection", "keep-alive") || fields.hasToken("Proxy-Connection", "keep-alive"));
  }

  /**
   * Whether the client connection closes after this response: the client hop does not persist,
   * or the body to it ends only with the close, or the request body was not read to its end (the
   * next request would start somewhere in it), or the proxy is draining (RFC 9112 9.3, 9.6).
   */
  public static boolean clientClosesAfter(boolean clientPersistent, BodyFraming toClient, boolean requestBodyUnread,
      boolean draining) {
    return !clientPersistent || toClient.kind() == BodyFraming.Kind.UNTIL_CLOSE || requestBodyUnread || draining;
  }

  /**
   * The upstream hop, after this response (RFC 9112 9.3): not after a close-delimited body, nor
   * after "close"; HTTP/1.1 persists, HTTP/1.0 only with "keep-alive". An HTTP/1.0 response with
   * Transfer-Encoding is faulty framing: processed, then the connection is closed whatever
   * keep-alive says (RFC 9112 6.1; issue 29).
   */
  public static boolean upstreamKeepsAlive(ResponseHead head) {
    return upstreamEnds(head) == null;
  }

  /**
   * Why the upstream hop ends after this response, in the words the connection view shows
   * (issue 24), or null when it persists. The same rule as {@link #upstreamKeepsAlive}.
   */
  public static String upstreamEnds(ResponseHead head) {
    if (head.framing().kind() == BodyFraming.Kind.UNTIL_CLOSE) {
      return "close-delimited body";
    }
    HttpFields f = head.fields();
    if (f.hasToken("Connection", "close")) {
      return "Connection: close";
    }
    if (head.version() == HttpVersion.HTTP_1_0 && f.contains("Transfer-Encoding")) {
      return "HTTP/1.0 with Transfer-Encoding (faulty framing)";
    }
    return head.version() == HttpVersion.HTTP_1_1 || f.hasToken("Connection", "keep-alive") ? null
        : "HTTP/1.0 without keep-alive";
  }
}
