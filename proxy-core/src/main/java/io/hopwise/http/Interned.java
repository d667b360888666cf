package io.hopwise.http;

import java.nio.charset.StandardCharsets;

/**
 * Strings that arrive on almost every message (common field names, methods, versions), shared
 * instead of allocated each time. A match is byte for byte, case included, so a field keeps
 * exactly the spelling it arrived with; anything else gets a new string as before. Sharing also
 * makes the name comparisons that follow cheap: a shared name is the very literal the rules
 * compare it with.
 */
final class Interned {
  static final Interned FIELD_NAMES = new Interned(
      "Host", "User-Agent", "Accept", "Accept-Encoding", "Accept-Language", "Accept-Ranges",
      "Connection", "Proxy-Connection", "Keep-Alive", "Content-Length", "Content-Type",
      "Content-Encoding", "Transfer-Encoding", "Cookie", "Set-Cookie", "Referer", "Origin",
      "Cache-Control", "Pragma", "Upgrade-Insecure-Requests", "If-None-Match", "If-Modified-Since",
      "Date", "Server", "Last-Modified", "ETag", "Expires", "Vary", "Location", "Via",
      "Authorization", "Proxy-Authorization", "X-Forwarded-For", "Forwarded", "DNT", "Sec-GPC",
      "Priority", "Range", "TE", "Trailer", "Upgrade", "Age", "Content-Range", "Sec-Fetch-Site",
      "Sec-Fetch-Mode", "Sec-Fetch-Dest", "Sec-Fetch-User");
  static final Interned METHODS = new Interned(
      "GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS", "PATCH", "CONNECT", "TRACE");
  static final Interned VERSIONS = new Interned("HTTP/1.1", "HTTP/1.0");

  private final String[][] byLength;

  private Interned(String... strings) {
    byLength = byLength(java.util.List.of(strings));
  }

  /**
   * Strings grouped by length, index = length (null where none): a lookup then compares a
   * candidate with only the few of its own length. HopByHop's fixed list uses it too.
   */
  static String[][] byLength(java.util.Collection<String> strings) {
    int max = 0;
    for (String s : strings) {
      max = Math.max(max, s.length());
    }
    String[][] table = new String[max + 1][];
    for (String s : strings) {
      String[] old = table[s.length()];
      String[] grown = old == null ? new String[1] : java.util.Arrays.copyOf(old, old.length + 1);
      grown[grown.length - 1] = s;
      table[s.length()] = grown;
    }
    return table;
  }

  /** b[from, from + length) as a string (Latin-1), the shared one when there is one. */
  String string(byte[] b, int from, int length) {
    if (length < byLength.length && byLength[length] != null) {
      candidates:
      for (String s : byLength[length]) {
        for (int i = 0; i < length; i++) {
          if (b[from + i] != (byte) s.charAt(i)) {
            continue candidates;
          }
        }
        return s;
      }
    }
    return new String(b, from, length, StandardCharsets.ISO_8859_1);
  }
}
