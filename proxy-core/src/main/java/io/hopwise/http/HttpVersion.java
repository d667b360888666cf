package io.hopwise.http;

/** The two protocol versions this codec speaks (RFC 9112 2.3). */
public enum HttpVersion {
  HTTP_1_0("HTTP/1.0"),
  HTTP_1_1("HTTP/1.1");

  private final String text;

  HttpVersion(String text) {
    this.text = text;
  }

  public String text() {
    return text;
  }

  /** The version number alone, as used in Via (RFC 9110 7.6.3). */
  public String number() {
    return text.substring(5);
  }
}
