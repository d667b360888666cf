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
}
