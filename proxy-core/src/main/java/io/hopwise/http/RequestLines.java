package io.hopwise.http;

/**
 * The quick scan of a plain request line (RFC 9112 3): method SP target SP version CRLF, every
 * byte printable ASCII. Nearly every request line is plain, and one pass over it then finds its
 * end and its first space. A line that is not plain, or not whole yet, or over the limit, gets no
 * answer here: the parser's full checks decide it, with the exact reason.
 */
final class RequestLines {
  private RequestLines() {}

  /**
   * Scans the line starting at {@code from} in b[from, length). When it is plain (exactly two
   * single spaces, a method and a target that are not empty, no control, DEL or byte above DEL,
   * ending with CRLF) and its content is at most {@code maxLineBytes} long, returns its end and
   * first space packed ({@link #lineEnd}, {@link #firstSpace}); otherwise -1.
   */
  static long quickScan(byte[] b, int from, int length, int maxLineBytes) {
    int sp1 = -1;
    int sp2 = -1;
    int i = from;
    while (i < length) {
      if (i + Long.BYTES <= length) {
        long w = FieldLines.word(b, i);
        // Controls, spaces and DEL (the lowest flag exact), and every byte above DEL.
        long flags = FieldLines.controlOrSpaceBytes(w) | (w & FieldLines.HIGH_BITS);
        if (flags == 0) {
          i += Long.BYTES;
          continue;
        }
        i += FieldLines.firstFlagged(flags);
      }
      int c = b[i];
      if (c == ' ') {
        if (sp2 >= 0 || i == from || i == sp1 + 1) {
          return -1; // a third space, or an empty method or target
        }
        if (sp1 < 0) {
          sp1 = i;
        } else {
          sp2 = i;
        }
      } else if (c == '\r') {
        if (sp2 < 0 || i + 1 >= length || b[i + 1] != '\n' || i - from > maxLineBytes) {
          return -1;
        }
        return ((long) sp1 << 32) | (i + 2);
      } else if (c < 0x20 || c == 0x7F) { // bytes above DEL are negative, so below 0x20 here
        return -1;
      }
      i++;
    }
    return -1;
  }

  /** The index just past the line's LF, from {@link #quickScan}'s answer. */
  static int lineEnd(long scan) {
    return (int) scan;
  }

  /** The index of the line's first space, from {@link #quickScan}'s answer. */
  static int firstSpace(long scan) {
    return (int) (scan >>> 32);
  }

  /** The last space before {@code to} in a line known to have one: the version is short. */
  static int lastSpace(byte[] b, int to) {
    int i = to - 1;
    while (b[i] != ' ') {
      i--;
    }
    return i;
  }
}
