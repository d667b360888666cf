package io.hopwise.http;

import java.util.Locale;

/**
 * host [":" port] as in RFC 3986 3.2 (reg-name, IPv4 or bracketed IPv6). No userinfo: a proxy
 * that accepted {@code user@host} would invite confusion about where a request goes.
 */
public record Authority(String host, int port) {

  /** The host as it appears in a URI or Host field (IPv6 keeps its brackets). */
  public String hostForUri() {
    return host.indexOf(':') >= 0 ? "[" + host + "]" : host;
  }

  /** Parses {@code host[:port]}; a missing port becomes {@code defaultPort} (-1 = port required). */
  public static Authority parse(String text, int defaultPort) {
    if (text.isEmpty()) {
      return null;
    }
    String host;
    String rest;
    if (text.startsWith("[")) {
      int close = text.indexOf(']');
      if (close < 0) {
        return null;
      }
      host = text.substring(1, close);
      if (!isIpv6(host)) {
        return null;
      }
      rest = text.substring(close + 1);
    } else {
      int colon = text.lastIndexOf(':');
      host = colon < 0 ? text : text.substring(0, colon);
      rest = colon < 0 ? "" : text.substring(colon);
      if (!isRegName(host)) {
        return null;
      }
    }
    int port;
    if (rest.isEmpty()) {
      if (defaultPort < 0) {
        return null;
      }
      port = defaultPort;
    } else {
      String digits = rest.substring(1);
      if (rest.charAt(0) != ':' || !Syntax.isDigits(digits) || digits.length() > 5) {
        return null;
      }
      port = Integer.parseInt(digits);
      if (port < 1 || port > 65535) {
        return null;
      }
    }
    return new Authority(host.toLowerCase(Locale.ROOT), port);
  }

  /** RFC 9112 3.2 / RFC 9110 7.2: Host = uri-host [":" port]; empty is allowed. */
  static boolean isValidHostField(String value) {
    return value.isEmpty() || parse(value, 0) != null;
  }

  private static boolean isRegName(String s) {
    if (s.isEmpty()) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
          || "-._~!$&'()*+,;=%".indexOf(c) >= 0;
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  private static boolean isIpv6(String s) {
    if (s.isEmpty() || s.indexOf(':') < 0) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean ok = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') || c == ':' || c == '.';
      if (!ok) {
        return false;
      }
    }
    return true;
  }
}
