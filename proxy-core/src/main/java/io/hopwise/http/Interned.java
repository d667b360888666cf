package io.hopwise.http;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Strings that arrive on almost every message (common field names, methods, versions), shared
 * instead of allocated each time. A match is byte for byte, case included, so a field keeps
 * exactly the spelling it arrived with; anything else gets a new string as before. Sharing also
 * makes the name comparisons that follow cheap: a shared name is the very literal the rules
 * compare it with. Each entry's index is its id (see {@link FieldNames}).
 *
 * <p>Lookups run several times per field line, so they are hashed: received bytes by their first
 * eight bytes and length, strings by their (cached) hash code. A case-insensitive lookup that
 * misses the exact spelling falls back to comparing the few entries of the same length.
 *
 * <p>Received bytes are compared a word (eight bytes) at a time: the first word, then the last
 * eight bytes of the name, which may overlap the first, then any words between. So a name of up to
 * sixteen bytes, most of them, takes two word compares and no masking.
 */
final class Interned {
  static final Interned METHODS = new Interned(
      "GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS", "PATCH", "CONNECT", "TRACE");
  static final Interned VERSIONS = new Interned("HTTP/1.1", "HTTP/1.0");
  /** Reason phrases as most servers spell them (RFC 9110 15), for the responses seen most. */
  static final Interned REASONS = new Interned("OK", "Created", "Accepted", "No Content", "Partial Content",
      "Moved Permanently", "Found", "See Other", "Not Modified", "Temporary Redirect", "Permanent Redirect",
      "Bad Request", "Unauthorized", "Forbidden", "Not Found", "Internal Server Error", "Bad Gateway",
      "Service Unavailable", "Gateway Timeout", "Continue", "Switching Protocols");

  /** Slots per table: a power of two, at least four per entry, so probes are short. */
  private final int mask;
  /** 64 - log2(slots): the byte hash takes the top bits of a product, which depend on every input bit. */
  private final int shift;
  private final String[] entries;
  /** Each entry's length in bytes, read beside its words (one array load, not a String's fields). */
  private final int[] lengths;
  /** Each entry's first eight bytes (Latin-1) as a little-endian word, zero above a shorter entry's end. */
  private final long[] firstWords;
  /** An entry's last eight bytes as a word, for entries longer than eight bytes. */
  private final long[] lastWords;
  /** An entry's words at offsets 8, 16... that start before its last eight bytes (empty up to 16 bytes). */
  private final long[][] middleWords;
  /** Entry index + 1 by hash of the first word and length; 0 = empty. */
  private final int[] byBytes;
  /** Entry index + 1 by String hash code; 0 = empty. */
  private final int[] byString;
  /** Entry indexes by length (index = length, null where none), for case-insensitive lookups. */
  private final int[][] byLength;
  /** Each entry's first word as {@link #foldedFirstWord} makes it. */
  private final long[] foldedFirstWords;
  /** Entry index + 1 by hash of the folded first word and length; 0 = empty. */
  private final int[] byFolded;

  Interned(String... strings) {
    entries = strings.clone();
    int slots = Integer.highestOneBit(Math.max(4, entries.length) * 4) * 2;
    mask = slots - 1;
    shift = Long.numberOfLeadingZeros(slots) + 1;
    byBytes = new int[slots];
    byString = new int[slots];
    lengths = new int[entries.length];
    firstWords = new long[entries.length];
    lastWords = new long[entries.length];
    middleWords = new long[entries.length][];
    foldedFirstWords = new long[entries.length];
    byFolded = new int[slots];
    int max = 0;
    for (int i = 0; i < entries.length; i++) {
      byte[] bytes = entries[i].getBytes(StandardCharsets.ISO_8859_1);
      if (bytes.length == 0) {
        throw new IllegalArgumentException("empty entry");
      }
      lengths[i] = bytes.length;
      firstWords[i] = word(bytes, 0, Math.min(8, bytes.length));
      if (bytes.length > Long.BYTES) {
        lastWords[i] = FieldLines.word(bytes, bytes.length - Long.BYTES);
      }
      middleWords[i] = new long[Math.max(0, (bytes.length - 9) / 8)];
      for (int w = 0; w < middleWords[i].length; w++) {
        middleWords[i][w] = FieldLines.word(bytes, Long.BYTES * (w + 1));
      }
      put(byBytes, bytesHash(firstWords[i], bytes.length), i);
      put(byString, entries[i].hashCode(), i);
      foldedFirstWords[i] = foldedFirstWord(bytes, 0, bytes.length);
      put(byFolded, bytesHash(foldedFirstWords[i], bytes.length), i);
      max = Math.max(max, bytes.length);
    }
    byLength = new int[max + 1][];
    for (int i = 0; i < entries.length; i++) {
      int[] old = byLength[entries[i].length()];
      int[] grown = old == null ? new int[1] : Arrays.copyOf(old, old.length + 1);
      grown[grown.length - 1] = i;
      byLength[entries[i].length()] = grown;
    }
  }

  private void put(int[] table, int hash, int index) {
    int slot = hash & mask;
    while (table[slot] != 0) {
      slot = (slot + 1) & mask;
    }
    table[slot] = index + 1;
  }

  private int bytesHash(long firstWord, int length) {
    return (int) (((firstWord + length) * 0x9E3779B97F4A7C15L) >>> shift);
  }

  /** The length of the longest entry. */
  int maxLength() {
    return byLength.length - 1;
  }

  int size() {
    return entries.length;
  }

  String get(int index) {
    return entries[index];
  }

  /** The index of the entry spelled exactly as b[from, from + length) (Latin-1), or -1. */
  int indexOf(byte[] b, int from, int length) {
    if (length == 0 || length > maxLength()) {
      return -1;
    }
    long first = firstWord(b, from, length);
    for (int slot = bytesHash(first, length) & mask; byBytes[slot] != 0; slot = (slot + 1) & mask) {
      int index = byBytes[slot] - 1;
      if (spells(index, first, b, from, length)) {
        return index;
      }
    }
    return -1;
  }

  /** The first min(8, length) bytes at b[from] as a word, zero above. */
  private static long firstWord(byte[] b, int from, int length) {
    return length >= Long.BYTES ? FieldLines.word(b, from) : word(b, from, length);
  }

  /** Whether b[from, from + length), whose first word is {@code first}, spells entry {@code index}. */
  private boolean spells(int index, long first, byte[] b, int from, int length) {
    return firstWords[index] == first && lengths[index] == length
        && (length <= Long.BYTES || restEquals(index, b, from, length));
  }

  /** The length in bytes of entry {@code index}. */
  int length(int index) {
    return lengths[index];
  }

  /**
   * Whether b[from, from + length(index)) spells entry {@code index} exactly: the comparison
   * {@link #indexOf(byte[], int, int)} makes, without the hash probe that finds the candidate.
   */
  boolean spelledAt(int index, byte[] b, int from) {
    int length = lengths[index];
    return spells(index, firstWord(b, from, length), b, from, length);
  }

  /** Bytes 8 and on of a name longer than eight bytes: its last word (overlapping), then the middle. */
  private boolean restEquals(int index, byte[] b, int from, int length) {
    if (lastWords[index] != FieldLines.word(b, from + length - Long.BYTES)) {
      return false;
    }
    long[] middle = middleWords[index];
    for (int w = 0; w < middle.length; w++) {
      if (middle[w] != FieldLines.word(b, from + Long.BYTES * (w + 1))) {
        return false;
      }
    }
    return true;
  }

  /** b[at, at + n) for n in 1..8 as a little-endian word, zero above. */
  private static long word(byte[] b, int at, int n) {
    if (at + Long.BYTES <= b.length) {
      long w = FieldLines.word(b, at);
      return n == Long.BYTES ? w : w & ((1L << (n * 8)) - 1);
    }
    long w = 0;
    for (int i = n - 1; i >= 0; i--) {
      w = (w << 8) | (b[at + i] & 0xFF);
    }
    return w;
  }

  /** The index of the entry equal to {@code s} ignoring case, or -1. The exact spelling is found first. */
  int indexOfIgnoreCase(String s) {
    for (int slot = s.hashCode() & mask; byString[slot] != 0; slot = (slot + 1) & mask) {
      int index = byString[slot] - 1;
      if (entries[index].equals(s)) {
        return index;
      }
    }
    return indexOfIgnoreCase(s, 0, s.length());
  }

  /** The index of the entry equal to s[from, to) ignoring case, or -1. */
  int indexOfIgnoreCase(String s, int from, int to) {
    int length = to - from;
    if (length < byLength.length && byLength[length] != null) {
      char first = Character.toLowerCase(s.charAt(from));
      for (int index : byLength[length]) {
        // The first letter, folded, rules out most candidates before a full comparison.
        if (Character.toLowerCase(entries[index].charAt(0)) == first
            && entries[index].regionMatches(true, 0, s, from, length)) {
          return index;
        }
      }
    }
    return -1;
  }

  /**
   * The index of the entry equal to b[from, from + length) ignoring the case of ASCII letters, or
   * -1. Hashed by the first word with every byte's case bit set, so "keep-alive" finds
   * "Keep-Alive" with one probe; the bit also pairs a few non-letters (CR with '-', say), so each
   * candidate (usually one) is then compared letter by letter.
   */
  int indexOfIgnoreCase(byte[] b, int from, int length) {
    if (length == 0 || length > maxLength()) {
      return -1;
    }
    long first = foldedFirstWord(b, from, length);
    for (int slot = bytesHash(first, length) & mask; byFolded[slot] != 0; slot = (slot + 1) & mask) {
      int index = byFolded[slot] - 1;
      if (foldedFirstWords[index] == first && lengths[index] == length
          && ListElements.equalsIgnoreCase(b, from, entries[index])) {
        return index;
      }
    }
    return -1;
  }

  /** The first min(8, length) bytes at b[at] as a word with each byte's 0x20 bit set, zero above. */
  private static long foldedFirstWord(byte[] b, int at, int length) {
    int n = Math.min(Long.BYTES, length);
    long keep = n == Long.BYTES ? -1L : (1L << (n * 8)) - 1;
    return (word(b, at, n) | 0x2020202020202020L) & keep;
  }

  /** b[from, from + length) as a string (Latin-1), the shared one when there is one. */
  String string(byte[] b, int from, int length) {
    int index = indexOf(b, from, length);
    return index >= 0 ? entries[index] : new String(b, from, length, StandardCharsets.ISO_8859_1);
  }
}
