package io.hopwise.http;

import java.nio.charset.StandardCharsets;

/**
 * Strict scanning and parsing of CRLF-terminated lines, shared by request heads, response heads
 * and chunked trailers (RFC 9112 2.2 and 5).
 */
final class FieldLines {
  private FieldLines() {}

  /**
   * Index just past the LF of the line starting at {@code from}, or -1 if no LF yet.
   * A LF not preceded by CR is refused (RFC 9112 2.2: we do not accept bare LF).
   */
  static int lineEnd(byte[] b, int from, int to, int status) throws RejectedException {
    for (int i = from; i < to; i++) {
      if (b[i] == '\n') {
        if (i == from || b[i - 1] != '\r') {
          throw new RejectedException(status, "bare LF line ending");
        }
        return i + 1;
      }
    }
    return -1;
  }

  /**
   * Parses the field line starting at {@code from} into the builder and returns the index just
   * past its CRLF. One scan does the finding and the checking: the caller has already found the
   * section's end with {@link #headEnd}, so every LF up to it follows a CR, and a CR not followed
   * by LF is a bare CR. Refuses obs-fold, whitespace before the colon, invalid name characters,
   * bare CR, NUL and other controls in values (RFC 9112 5.1, 5.2; RFC 9110 5.5).
   */
  private static int parseFieldLine(byte[] b, int from, HttpFields.Builder into, int status)
      throws RejectedException {
    if (Syntax.isWhitespace(b[from])) {
      throw new RejectedException(status, "obsolete line folding (obs-fold)");
    }
    int colon = from;
    while (true) {
      int c = b[colon] & 0xFF;
      if (c == ':') {
        break;
      }
      if (c == '\r' && b[colon + 1] == '\n') {
        throw new RejectedException(status, "field line without a colon");
      }
      if (Syntax.isWhitespace(c)) {
        throw new RejectedException(status, "whitespace between field name and colon");
      }
      if (!Syntax.isTchar(c)) {
        throw new RejectedException(status, "invalid character in field name");
      }
      colon++;
    }
    if (colon == from) {
      throw new RejectedException(status, "empty field name");
    }
    int ve = colon + 1;
    while (true) {
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
    into.add(
        Interned.FIELD_NAMES.string(b, from, colon - from),
        new String(b, vs, ve - vs, StandardCharsets.ISO_8859_1));
    return next;
  }

  /**
   * Parses a field section b[from, end) where every line ends with CRLF; {@code end} points just
   * past the empty line that closes the section (as {@link #headEnd} found it).
   */
  static HttpFields parseSection(byte[] b, int from, int end, int maxFields, int status, int tooManyStatus)
      throws RejectedException {
    HttpFields.Builder fields = HttpFields.builder(16);
    int count = 0;
    int p = from;
    while (p < end - 2) {
      if (++count > maxFields) {
        throw new RejectedException(tooManyStatus, "too many header fields (limit " + maxFields + ")");
      }
      p = parseFieldLine(b, p, fields, status);
    }
    return fields.build();
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
    int p = from;
    while (p < to) {
      int next = lineEnd(b, p, to, status);
      if (next < 0) {
        return -1;
      }
      if (next - p == 2) {
        return next;
      }
      p = next;
    }
    return -1;
  }
}
