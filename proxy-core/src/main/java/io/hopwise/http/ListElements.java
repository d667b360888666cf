package io.hopwise.http;

/**
 * The elements of a list-valued field (RFC 9110 5.6.1: comma-separated, optional whitespace
 * around each, empty elements ignored), read from a value's bytes: for a received line in place,
 * so the Connection lines of every message never become strings (see {@link HttpField#forEachElement}).
 */
final class ListElements {
  private ListElements() {}

  /** Sees one element: b[start, end). */
  interface Visitor {
    /** @return true to stop */
    boolean visit(byte[] b, int start, int end);
  }

  /**
   * Visits [start, end) of each non-empty element of the list b[from, to), whitespace trimmed.
   *
   * @return true if the visitor stopped early
   */
  static boolean forEach(byte[] b, int from, int to, Visitor visitor) {
    for (int start = from; start <= to; ) {
      int comma = start;
      while (comma < to && b[comma] != ',') {
        comma++;
      }
      int a = start;
      int e = comma;
      while (a < e && Syntax.isWhitespace(b[a])) a++;
      while (e > a && Syntax.isWhitespace(b[e - 1])) e--;
      if (a < e && visitor.visit(b, a, e)) {
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
