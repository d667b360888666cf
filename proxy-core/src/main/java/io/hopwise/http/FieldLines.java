package io.hopwise.http;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Strict scanning and parsing of CRLF-terminated lines, shared by request heads, response heads
 * and chunked trailers (RFC 9112 2.2 and 5).
 */
final class FieldLines {
  private FieldLines() {}

  // Field values and line ends are scanned eight bytes at a time (SWAR: SIMD within a register).
  // Almost every byte of a head is an ordinary visible character; a word of eight of them is
  // passed with a few arithmetic operations instead of eight compares.

  private static final VarHandle WORDS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final long ONES = 0x0101010101010101L;
  static final long HIGH_BITS = 0x8080808080808080L;

  /** The eight bytes at b[i] as one little-endian word: byte i is the lowest. */
  static long word(byte[] b, int i) {
    return (long) WORDS.get(b, i);
  }

  /**
   * The high bit of each byte of {@code w} that is below 0x20 or is DEL (0x7F): the bytes a field
   * value must not hold, except HTAB, and the CR that ends it. Bits above the lowest one may be
   * false alarms (a borrow carries upwards), but the lowest one is always exact, and so is zero.
   */
  static long controlBytes(long w) {
    return bytesBelow(w, 0x20) | bytesEqual(w, '\u007f');
  }

  /** As {@link #controlBytes}, and spaces too: what splits or ends a start line. */
  static long controlOrSpaceBytes(long w) {
    return bytesBelow(w, 0x21) | bytesEqual(w, '\u007f');
  }

  /** The high bit of each byte of {@code w} below {@code n} (n at most 0x80); the lowest is exact. */
  private static long bytesBelow(long w, int n) {
    return (w - ONES * n) & ~w & HIGH_BITS;
  }

  /** The high bit of each LF byte of {@code w}: {@link #bytesEqual} for line ends (tested on its own). */
  static long lineFeeds(long w) {
    return bytesEqual(w, '\n');
  }

  /** The high bit of each byte of {@code w} equal to {@code c}; the lowest one is exact. */
  private static long bytesEqual(long w, char c) {
    long x = w ^ (ONES * c);
    return (x - ONES) & ~x & HIGH_BITS;
  }

  /** The index of the first byte {@code c} in b[from, to), or -1; a word at a time. */
  private static int indexOf(byte[] b, int from, int to, char c) {
    int i = from;
    for (; i + Long.BYTES <= to; i += Long.BYTES) {
      long found = bytesEqual(word(b, i), c);
      if (found != 0) {
        return i + firstFlagged(found);
      }
    }
    for (; i < to; i++) {
      if (b[i] == c) {
        return i;
      }
    }
    return -1;
  }

  /** Whether any byte of b[from, to) is above 0x7F; a word at a time. */
  static boolean hasHighBytes(byte[] b, int from, int to) {
    long high = 0;
    int i = from;
    for (; i + Long.BYTES <= to; i += Long.BYTES) {
      high |= word(b, i);
    }
    for (; i < to; i++) {
      high |= b[i];
    }
    return (high & HIGH_BITS) != 0;
  }

  /** The byte index within a word of the lowest flagged byte. */
  static int firstFlagged(long flags) {
    return Long.numberOfTrailingZeros(flags) >>> 3;
  }

  /**
   * Index just past the LF of the line starting at {@code from}, or -1 if no LF yet.
   * A LF not preceded by CR is refused (RFC 9112 2.2: we do not accept bare LF).
   */
  static int lineEnd(byte[] b, int from, int to, int status) throws RejectedException {
    int lf = indexOf(b, from, to, '\n');
    if (lf < 0) {
      return -1;
    }
    if (lf == from || b[lf - 1] != '\r') {
      throw new RejectedException(status, "bare LF line ending");
    }
    return lf + 1;
  }

  /** Returned by {@link #parseFieldLine} when the line runs past the bytes received so far. */
  private static final int INCOMPLETE = -1;

  /**
   * Parses the field line starting at {@code from} into the builder and returns the index just
   * past its CRLF, or {@link #INCOMPLETE} if the line does not end before {@code to}. One scan does
   * the finding and the checking. Refuses obs-fold, whitespace before the colon, invalid name
   * characters, bare CR, NUL and other controls in values (RFC 9112 5.1, 5.2; RFC 9110 5.5).
   * A LF in a line is refused as a control character; when the caller has run {@link #headEnd}
   * first, every LF follows a CR and ends a line, so that case does not arise.
   */
  private static int parseFieldLine(byte[] b, int from, int to, HttpFields.Builder into, int status, int expected)
      throws RejectedException {
    if (Syntax.isWhitespace(b[from])) {
      throw new RejectedException(status, "obsolete line folding (obs-fold)");
    }
    // Most names are common ones: if the bytes before the first colon spell one of FieldNames'
    // entries exactly, they are a valid token, and need no byte-by-byte check. The name that
    // followed the previous line's in the connection's last sections (FieldOrder) is tried first.
    int colon;
    int id;
    if (expected != FieldNames.NONE && (colon = from + FieldNames.TABLE.length(expected)) < to
        && b[colon] == ':' && FieldNames.TABLE.spelledAt(expected, b, from)) {
      id = expected;
    } else {
      colon = indexOf(b, from, Math.min(to, from + FieldNames.TABLE.maxLength() + 1), ':');
      id = colon < 0 ? FieldNames.NONE : FieldNames.TABLE.indexOf(b, from, colon - from);
    }
    String name;
    if (id != FieldNames.NONE) {
      name = FieldNames.TABLE.get(id);
    } else {
      colon = from;
      while (colon < to && Syntax.isTchar(b[colon] & 0xFF)) {
        colon++;
      }
      if (colon == to || (b[colon] == '\r' && colon + 1 == to)) {
        return INCOMPLETE;
      }
      int stop = b[colon] & 0xFF;
      if (stop != ':') {
        if (stop == '\r' && b[colon + 1] == '\n') {
          throw new RejectedException(status, "field line without a colon");
        }
        if (Syntax.isWhitespace(stop)) {
          throw new RejectedException(status, "whitespace between field name and colon");
        }
        throw new RejectedException(status, "invalid character in field name");
      }
      if (colon == from) {
        throw new RejectedException(status, "empty field name");
      }
      name = new String(b, from, colon - from, StandardCharsets.ISO_8859_1);
      id = FieldNames.id(name); // a known name in another case, or none
    }
    int ve = colon + 1;
    while (true) {
      // Skip whole words of ordinary bytes.
      if (ve + Long.BYTES <= to) {
        long flags = controlBytes(word(b, ve));
        if (flags == 0) {
          ve += Long.BYTES;
          continue;
        }
        ve += firstFlagged(flags);
      }
      if (ve + 1 >= to) {
        return INCOMPLETE; // no room left for the CRLF
      }
      int c = b[ve] & 0xFF;
      if (c == '\r') {
        if (b[ve + 1] == '\n') {
          break;
        }
        throw new RejectedException(status, "bare CR in field value");
      }
      if (c == 0) {
        throw new RejectedException(status, "NUL in field value");
      }
      if (!Syntax.isFieldValueByte(c)) {
        throw new RejectedException(status, "control character in field value");
      }
      ve++;
    }
    int next = ve + 2;
    int vs = colon + 1;
    while (vs < ve && Syntax.isWhitespace(b[vs])) vs++;
    while (ve > vs && Syntax.isWhitespace(b[ve - 1])) ve--;
    into.add(new HttpField(name, id, b, vs, ve - vs));
    return next;
  }

  /**
   * Parses a field section b[from, end) where every line ends with CRLF; {@code end} points just
   * past the empty line that closes the section (as {@link #headEnd} found it).
   *
   * <p>The fields keep their values as ranges of {@code b} (see {@link HttpField}), so the caller
   * must not write to {@code b} again. When most of {@code b} lies past the section (a body read
   * with the head), the section is copied first, so a head does not hold a body's bytes in memory.
   */
  static HttpFields parseSection(byte[] b, int from, int end, int maxFields, int status, int tooManyStatus)
      throws RejectedException {
    byte[] source = keepsBody(b, end) ? Arrays.copyOf(b, end) : b;
    HttpFields.Builder fields = HttpFields.builder(16);
    int count = 0;
    int p = from;
    while (p < end - 2) {
      if (++count > maxFields) {
        throw new RejectedException(tooManyStatus, "too many header fields (limit " + maxFields + ")");
      }
      p = parseFieldLine(source, p, end, fields, status, FieldNames.NONE);
      if (p == INCOMPLETE) {
        // Only if `end` was not found by headEnd: a caller's mistake, refused rather than misread.
        throw new RejectedException(status, "truncated field section");
      }
    }
    return fields.build();
  }

  /** More of {@code b} lies past the head than in it. */
  private static boolean keepsBody(byte[] b, int end) {
    return b.length - end > end;
  }

  /**
   * Whether b[0, length) ends with an empty line, as a head that arrived whole and alone does. Only
   * then is {@link #wholeSection} tried: a head still arriving (a byte at a time, say) or one followed
   * by body bytes takes the two steps, so a slow client does not make every read parse and drop
   * the lines so far.
   */
  static boolean endsWithEmptyLine(byte[] b, int length) {
    return length >= 4 && b[length - 1] == '\n' && b[length - 2] == '\r' && b[length - 3] == '\n'
        && b[length - 4] == '\r';
  }

  /** A field section and the index just past its empty line. */
  record Section(HttpFields fields, int end) {}

  /**
   * The common case in one pass: a whole, valid section of at most {@code maxFields} lines at
   * b[from, to), as {@link #headEnd} followed by {@link #parseSection} would find it. Null when
   * anything is unusual (the section is incomplete, or has something to refuse, or would need
   * copying); the caller then takes those two steps, which give the exact outcome and reason.
   * Each line's name is guessed from {@code order} first, and {@code order} learns this section's.
   */
  static Section wholeSection(byte[] b, int from, int to, int maxFields, FieldOrder order) {
    HttpFields.Builder fields = HttpFields.builder(16);
    int count = 0;
    int previous = FieldOrder.START;
    int p = from;
    try {
      while (p + 1 < to) {
        if (b[p] == '\r' && b[p + 1] == '\n') {
          int end = p + 2;
          return keepsBody(b, end) ? null : new Section(fields.build(), end);
        }
        if (++count > maxFields) {
          return null;
        }
        p = parseFieldLine(b, p, to, fields, 400, order.after(previous));
        if (p == INCOMPLETE) {
          return null;
        }
        // Only a name spelled as in the table can be guessed (the check is case-exact): another
        // spelling ("host") is remembered as no name, so it costs no wrong guess next time.
        int id = spelledId(fields.last());
        order.record(previous, id);
        previous = id;
      }
      return null;
    } catch (RejectedException e) {
      return null;
    }
  }

  /**
   * A parsed line's id if its name is the {@link FieldNames} table's own string, which the parser
   * shares for a name spelled exactly so; else NONE.
   */
  private static int spelledId(HttpField line) {
    int id = line.id();
    return id != FieldNames.NONE && line.name() == FieldNames.TABLE.get(id) ? id : FieldNames.NONE;
  }

  /** Checks the bytes of a line (request or status line) for bare CR and controls. */
  static void checkLineBytes(byte[] b, int from, int to, int status) throws RejectedException {
    for (int i = from; i < to; i++) {
      int c = b[i] & 0xFF;
      if (c == '\r') {
        throw new RejectedException(status, "bare CR in start line");
      }
      if (c < 0x20 || c == 0x7F) {
        throw new RejectedException(status, "control character in start line");
      }
    }
  }

  /**
   * Finds the end of a head: index just past the empty line, or -1 when more bytes are needed.
   * Refuses bare LF anywhere on the way.
   */
  static int headEnd(byte[] b, int from, int to, int status) throws RejectedException {
    int lineStart = from;
    while (true) {
      int next = lineEnd(b, lineStart, to, status);
      if (next < 0) {
        return -1;
      }
      if (next - lineStart == 2) {
        return next; // the empty line
      }
      lineStart = next;
    }
  }
}
