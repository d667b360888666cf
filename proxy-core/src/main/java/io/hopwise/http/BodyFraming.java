package io.hopwise.http;

/** How a message body is delimited (RFC 9112 6.3). */
public record BodyFraming(Kind kind, long length) {
  public enum Kind { NONE, LENGTH, CHUNKED, UNTIL_CLOSE }

  public static final BodyFraming NONE = new BodyFraming(Kind.NONE, 0);
  public static final BodyFraming CHUNKED = new BodyFraming(Kind.CHUNKED, -1);
  public static final BodyFraming UNTIL_CLOSE = new BodyFraming(Kind.UNTIL_CLOSE, -1);

  public static BodyFraming length(long n) {
    return n == 0 ? NONE : new BodyFraming(Kind.LENGTH, n);
  }

  public boolean hasBody() {
    return kind != Kind.NONE;
  }

  /**
   * How this (response) body is framed to a client of {@code version}: no body or a length as
   * received; a chunked or close-delimited body re-framed, chunked for HTTP/1.1 and until close
   * for HTTP/1.0, which has no chunked coding (RFC 9112 7, 7.1).
   */
  public BodyFraming toClient(HttpVersion version) {
    return switch (kind) {
      case NONE, LENGTH -> this;
      case CHUNKED, UNTIL_CLOSE -> version == HttpVersion.HTTP_1_1 ? CHUNKED : UNTIL_CLOSE;
    };
  }
}
