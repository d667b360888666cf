package io.hopwise.http;

import java.util.Locale;

/** Where a request goes: scheme, host and port. Pool key for upstream connections. */
public record Origin(String scheme, String host, int port) {
  public Origin {
    scheme = scheme.toLowerCase(Locale.ROOT);
    host = host.toLowerCase(Locale.ROOT);
  }

  // Written out, cheapest comparison first: the pool looks an origin up on every request.
  @Override
  public boolean equals(Object o) {
    return o == this || o instanceof Origin other && port == other.port && host.equals(other.host)
        && scheme.equals(other.scheme);
  }

  @Override
  public int hashCode() {
    return (scheme.hashCode() * 31 + host.hashCode()) * 31 + port;
  }

  public boolean isTls() {
    return scheme.equals("https");
  }

  public int defaultPort() {
    return isTls() ? 443 : 80;
  }

  /** Host field value (RFC 9110 7.2): the port only when it is not the scheme's default. */
  public String hostField() {
    String h = host.indexOf(':') >= 0 ? "[" + host + "]" : host;
    return port == defaultPort() ? h : h + ":" + port;
  }

  /** Parses a configured upstream like {@code http://127.0.0.1:8080}; null if it is not one. */
  public static Origin parse(String uri) {
    RequestTarget t = RequestTarget.parse("GET", uri).target();
    if (t instanceof RequestTarget.Absolute a && a.pathAndQuery().equals("/")) {
      return a.origin();
    }
    return null;
  }

  @Override
  public String toString() {
    return scheme + "://" + hostField();
  }
}
