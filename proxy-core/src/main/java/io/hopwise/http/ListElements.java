package io.hopwise.http;

/**
 * The elements of a list-valued field (RFC 9110 5.6.1: comma-separated, optional whitespace
 * around each, empty elements ignored), read in place from the bytes a line was parsed from. The
 * Connection lines of every message are read this way, so their values never become strings.
 */
final class ListElements {
  private ListElements() {}

  /** The end of the element that starts at {@code from}: the next comma, or {@code to}. */
  static int end(byte[] b, int from, int to) {
    int i = from;
    while (i < to && b[i] != ',') {
      i++;
    }
    return i;
  }

  /** The first index in [from, to) that is not SP or HTAB, or {@code to}. */
  static int skipWhitespace(byte[] b, int from, int to) {
    while (from < to && Syntax.isWhitespace(b[from])) {
      from++;
    }
    return from;
  }

  /** {@code to} moved back over SP and HTAB, but not before {@code from}. */
  static int trimEnd(byte[] b, int from, int to) {
    while (to > from && Syntax.isWhitespace(b[to - 1])) {
      to--;
    }
    return to;
  }

  /** Whether the list b[from, to) has an element equal to {@code token}, ignoring ASCII case. */
  static boolean has(byte[] b, int from, int to, String token) {
    for (int start = from; start <= to; ) {
      int comma = end(b, start, to);
      int a = skipWhitespace(b, start, comma);
      int e = trimEnd(b, a, comma);
      if (e - a == token.length() && equalsIgnoreCase(b, a, token)) {
        return true;
      }
      start = comma + 1;
    }
    return false;
  }

  /** Whether b[at, at + s.length()) spells {@code s}, ignoring the case of ASCII letters only. */
  static boolean equalsIgnoreCase(byte[] b, int at, String s) {
    for (int i = 0; i < s.length(); i++) {
      int x = b[at + i] & 0xFF;
      int y = s.charAt(i);
      if (x != y && !(isAsciiLetter(x) && (x | 0x20) == (y | 0x20))) {
        return false;
      }
    }
    return true;
  }

  private static boolean isAsciiLetter(int c) {
    int lower = c | 0x20;
    return lower >= 'a' && lower <= 'z';
  }
}
