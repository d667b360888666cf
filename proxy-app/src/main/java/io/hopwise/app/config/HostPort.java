package io.hopwise.app.config;

import io.hopwise.http.Authority;
import java.util.regex.Pattern;

/**
 * A listen address, {@code HOST:PORT}; an IPv6 literal is bracketed, {@code [::1]:3128}. The host is
 * kept without brackets, as socket APIs want it. Port 0 means "any free port".
 */
public record HostPort(String host, int port) {
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]+");
  private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*(%[A-Za-z0-9._-]+)?");
  private static final Pattern PORT = Pattern.compile("[0-9]{1,5}");

  public HostPort {
    if (host == null || host.isEmpty()) {
      throw new IllegalArgumentException("host must not be empty");
    }
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port must be 0-65535, got " + port);
    }
  }

  /** Parses {@code HOST:PORT} or {@code [IPV6]:PORT}; the message says what was expected. */
  public static HostPort parse(String s) {
    IllegalArgumentException bad = new IllegalArgumentException("expected HOST:PORT, got '" + s + "'");
    if (s == null) {
      throw bad;
    }
    int colon;
    String host;
    if (s.startsWith("[")) {
      int close = s.indexOf(']');
      if (close < 0) {
        throw bad;
      }
      host = s.substring(1, close);
      colon = close + 1;
      if (!IPV6.matcher(host).matches() || colon >= s.length() || s.charAt(colon) != ':') {
        throw bad;
      }
    } else {
      // One colon only: an unbracketed IPv6 literal is ambiguous ("::1:3128").
      colon = s.indexOf(':');
      if (colon < 0 || s.indexOf(':', colon + 1) >= 0) {
        throw bad;
      }
      host = s.substring(0, colon);
      if (!NAME.matcher(host).matches()) {
        throw bad;
      }
    }
    String port = s.substring(colon + 1);
    if (!PORT.matcher(port).matches() || Integer.parseInt(port) > 65535) {
      throw bad;
    }
    return new HostPort(host, Integer.parseInt(port));
  }

  @Override
  public String toString() {
    return Authority.forUri(host) + ":" + port;
  }
}
