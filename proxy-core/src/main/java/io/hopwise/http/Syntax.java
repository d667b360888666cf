package io.hopwise.http;

/** Character classes of RFC 9110 5.6.2 (tokens) and 5.5 (field values). */
final class Syntax {
  private static final boolean[] TCHAR = new boolean[128];

  static {
    for (char c = '0'; c <= '9'; c++) TCHAR[c] = true;
    for (char c = 'a'; c <= 'z'; c++) TCHAR[c] = true;
    for (char c = 'A'; c <= 'Z'; c++) TCHAR[c] = true;
    for (char c : "!#$%&'*+-.^_`|~".toCharArray()) TCHAR[c] = true;
  }

  private Syntax() {}

  static boolean isTchar(int b) {
    return b >= 0 && b < 128 && TCHAR[b];
  }

  static boolean isToken(String s) {
    if (s.isEmpty()) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      if (!isTchar(s.charAt(i))) {
        return false;
      }
    }
    return true;
  }

  /** field-vchar / SP / HTAB; obs-text (0x80-0xFF) is tolerated as RFC 9110 5.5 allows. */
  static boolean isFieldValueByte(int b) {
    return b == '\t' || (b >= 0x20 && b != 0x7F);
  }

  static boolean isWhitespace(int b) {
    return b == ' ' || b == '\t';
  }

  static boolean isDigits(String s) {
    if (s.isEmpty()) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return false;
      }
    }
    return true;
  }
}
