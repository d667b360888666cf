package io.hopwise.http;

/**
 * This proxy's Via entries (RFC 9110 7.6.3, http-rules D1): the received protocol and our
 * pseudonym, for HTTP/1.0 and HTTP/1.1 messages, built once per proxy instead of per message.
 */
public record Via(String pseudonym, String http10, String http11) {
  /** Null for no pseudonym: then no Via is added. */
  public static Via of(String pseudonym) {
    return pseudonym == null ? null : new Via(pseudonym, "1.0 " + pseudonym, "1.1 " + pseudonym);
  }

  /** The entry for a message received as {@code received}. */
  public String value(HttpVersion received) {
    return received == HttpVersion.HTTP_1_0 ? http10 : http11;
  }
}
