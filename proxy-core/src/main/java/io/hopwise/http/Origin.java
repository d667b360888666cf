package io.hopwise.http;

import java.util.Locale;

/**
 * Where a request goes: scheme, host and port. Pool key for upstream connections. A class, not a
 * record, so that it can keep its hash and Host value: a connection's requests share one origin
 * (see {@link RequestTarget.Memo}), and the pool and the Host rule ask for both on every request.
 */
public final class Origin {
  private final String scheme;
  private final String host;
  private final int port;
  private final int hash;
  private String hostField;

  public Origin(String scheme, String host, int port) {
    this.scheme = scheme.toLowerCase(Locale.ROOT);
    this.host = host.toLowerCase(Locale.ROOT);
    this.port = port;
    this.hash = (this.scheme.hashCode() * 31 + this.host.hashCode()) * 31 + port;
  }

  public String scheme() {
    return scheme;
  }

  public String host() {
    return host;
  }

  public int port() {
    return port;
  }

  // Cheapest comparison first: the pool looks an origin up on every request.
  @Override
  public boolean equals(Object o) {
    return o == this || o instanceof Origin other && port == other.port && hash == other.hash
        && host.equals(other.host) && scheme.equals(other.scheme);
  }

  @Override
  public int hashCode() {
    return hash;
  }

  public boolean isTls() {
    return scheme.equals("https");
  }

  public int defaultPort() {
    return isTls() ? 443 : 80;
  }

  /** Host field value (RFC 9110 7.2): the port only when it is not the scheme's default. */
  public String hostField() {
    String h = hostField;
    if (h == null) {
      h = Authority.forUri(host);
      h = port == defaultPort() ? h : h + ":" + port;
      hostField = h; // a benign race: every thread computes the same string
    }
    return h;
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
