package io.hopwise.http;

/** A parsed, validated request head: start line, fields as received, and the body framing. */
public record RequestHead(
    String method, String target, HttpVersion version, HttpFields fields, BodyFraming framing) {

  public boolean isConnect() {
    return method.equals("CONNECT");
  }

  public boolean isHead() {
    return method.equals("HEAD");
  }
}
