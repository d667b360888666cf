package io.hopwise.http;

/** A parsed response head from the next hop, with the framing of its body (RFC 9112 6.3). */
public record ResponseHead(
    HttpVersion version, int status, String reason, HttpFields fields, BodyFraming framing) {

  public boolean isInformational() {
    return status >= 100 && status < 200;
  }
}
