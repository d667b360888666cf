package io.hopwise.http;

import java.nio.charset.StandardCharsets;
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
    // A char Latin-1 cannot hold becomes '?', which no valid Host holds either.
    byte[] b = value.getBytes(StandardCharsets.ISO_8859_1);
    return isValidHostField(b, 0, b.length);
  }

  /**
   * As {@link #isValidHostField(String)}, for a value's Latin-1 bytes b[from, to) read in place:
   * the parser checks every request's Host this way, without making it a string.
   */
  static boolean isValidHostField(byte[] b, int from, int to) {
    if (from == to) {
      return true;
    }
    if (b[from] == '[') {
      // An IPv6 literal: rare enough for the general path.
      return parse(new String(b, from, to - from, StandardCharsets.ISO_8859_1), 0) != null;
    }
    // As parse(value, 0) != null, without making the parts.
    int colon = to - 1;
    while (colon >= from && b[colon] != ':') {
      colon--;
    }
    int hostEnd = colon < from ? to : colon;
    if (hostEnd == from) {
      return false;
    }
    for (int i = from; i < hostEnd; i++) {
      if (!isRegNameChar(b[i] & 0xFF)) {
        return false;
      }
    }
    if (colon < from) {
      return true;
    }
    int digits = to - colon - 1;
    if (digits < 1 || digits > 5) {
      return false;
    }
    int port = 0;
    for (int i = colon + 1; i < to; i++) {
      int c = b[i];
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

  private static boolean isRegNameChar(int c) {
    return c < 128 && REG_NAME[c];
  }

  /** Whether s is a non-empty reg-name. */
  private static boolean isRegName(String s) {
    if (s.isEmpty()) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      if (!isRegNameChar(s.charAt(i))) {
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
