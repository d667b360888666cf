package io.hopwise.http;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Strings that arrive on almost every message (common field names, methods, versions), shared
 * instead of allocated each time. A match is byte for byte, case included, so a field keeps
 * exactly the spelling it arrived with; anything else gets a new string as before. Sharing also
 * makes the name comparisons that follow cheap: a shared name is the very literal the rules
 * compare it with. Each entry's index is its id (see {@link FieldNames}).
 */
final class Interned {
  static final Interned METHODS = new Interned(
      "GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS", "PATCH", "CONNECT", "TRACE");
  static final Interned VERSIONS = new Interned("HTTP/1.1", "HTTP/1.0");

  private final String[] entries;
  /** The same, as Latin-1 bytes, for comparing with received bytes without charAt. */
  private final byte[][] entryBytes;
  /** Entry indexes by length (index = length, null where none). */
  private final int[][] byLength;

  Interned(String... strings) {
    entries = strings.clone();
    entryBytes = new byte[entries.length][];
    for (int i = 0; i < entries.length; i++) {
      entryBytes[i] = entries[i].getBytes(StandardCharsets.ISO_8859_1);
    }
    int max = 0;
    for (String s : entries) {
      max = Math.max(max, s.length());
    }
    byLength = new int[max + 1][];
    for (int i = 0; i < entries.length; i++) {
      int[] old = byLength[entries[i].length()];
      int[] grown = old == null ? new int[1] : Arrays.copyOf(old, old.length + 1);
      grown[grown.length - 1] = i;
      byLength[entries[i].length()] = grown;
    }
  }

  int size() {
    return entries.length;
  }

  String get(int index) {
    return entries[index];
  }

  /** The index of the entry spelled exactly as b[from, from + length) (Latin-1), or -1. */
  int indexOf(byte[] b, int from, int length) {
    if (length < byLength.length && byLength[length] != null) {
      byte last = b[from + length - 1];
      for (int index : byLength[length]) {
        byte[] e = entryBytes[index];
        // The last byte first: names of one length mostly differ there or early (Accept-*).
        if (e[length - 1] == last && Arrays.equals(e, 0, length, b, from, from + length)) {
          return index;
        }
      }
    }
    return -1;
  }

  /** The index of the entry equal to {@code s} ignoring case, or -1. The same literal is found first. */
  int indexOfIgnoreCase(String s) {
    int length = s.length();
    if (length < byLength.length && byLength[length] != null) {
      int[] candidates = byLength[length];
      for (int index : candidates) {
        if (entries[index] == s) {
          return index;
        }
      }
      for (int index : candidates) {
        if (entries[index].equalsIgnoreCase(s)) {
          return index;
        }
      }
    }
    return -1;
  }

  /** The index of the entry equal to s[from, to) ignoring case, or -1. */
  int indexOfIgnoreCase(String s, int from, int to) {
    int length = to - from;
    if (length < byLength.length && byLength[length] != null) {
      for (int index : byLength[length]) {
        if (entries[index].regionMatches(true, 0, s, from, length)) {
          return index;
        }
      }
    }
    return -1;
  }

  /** b[from, from + length) as a string (Latin-1), the shared one when there is one. */
  String string(byte[] b, int from, int length) {
    int index = indexOf(b, from, length);
    return index >= 0 ? entries[index] : new String(b, from, length, StandardCharsets.ISO_8859_1);
  }

}
