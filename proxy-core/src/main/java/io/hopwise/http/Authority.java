package io.hopwise.http;

import java.util.Locale;

/**
 * host [":" port] as in RFC 3986 3.2 (reg-name, IPv4 or bracketed IPv6). No userinfo: a proxy
 * that accepted {@code user@host} would invite confusion about where a request goes.
 */
public record Authority(String host, int port) {

  /** The host as it appears in a URI or Host field (IPv6 keeps its brackets). */
  public String hostForUri() {
    return forUri(host);
  }

  /** {@code host} as it appears in a URI or Host field: an IPv6 literal in brackets (RFC 3986 3.2.2). */
  public static String forUri(String host) {
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
    if (value.isEmpty()) {
      return true;
    }
    if (value.charAt(0) == '[') {
      return parse(value, 0) != null; // an IPv6 literal: rare enough for the general path
    }
    // As parse(value, 0) != null, without making the parts: this runs for every request.
    int colon = value.lastIndexOf(':');
    int hostEnd = colon < 0 ? value.length() : colon;
    if (!isRegName(value, hostEnd)) {
      return false;
    }
    if (colon < 0) {
      return true;
    }
    int digits = value.length() - colon - 1;
    if (digits < 1 || digits > 5) {
      return false;
    }
    int port = 0;
    for (int i = colon + 1; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c < '0' || c > '9') {
        return false;
      }
      port = port * 10 + (c - '0');
    }
    return port >= 1 && port <= 65535;
  }

  /** unreserved / pct-encoded / sub-delims (RFC 3986 3.2.2), checked character by character. */
  private static final boolean[] REG_NAME = new boolean[128];

  static {
    for (char c = 'a'; c <= 'z'; c++) REG_NAME[c] = true;
    for (char c = 'A'; c <= 'Z'; c++) REG_NAME[c] = true;
    for (char c = '0'; c <= '9'; c++) REG_NAME[c] = true;
    for (char c : "-._~!$&'()*+,;=%".toCharArray()) REG_NAME[c] = true;
  }

  private static boolean isRegName(String s) {
    return isRegName(s, s.length());
  }

  /** Whether s[0, end) is a non-empty reg-name. */
  private static boolean isRegName(String s, int end) {
    if (end == 0) {
      return false;
    }
    for (int i = 0; i < end; i++) {
      char c = s.charAt(i);
      if (c >= 128 || !REG_NAME[c]) {
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
