package io.hopwise.http;

import io.vertx.core.buffer.Buffer;

/**
 * Incremental decoder of the chunked transfer coding (RFC 9112 7.1), strict per http-rules B6:
 * hex-only sizes without overflow, CRLF after every chunk's data, no bare CR or LF in extensions,
 * bounded line and trailer sizes. Feed it bytes as they arrive; it hands decoded data, trailers,
 * the end, and any bytes past the end (the next pipelined message) to a {@link Sink}.
 */
public final class ChunkedDecoder {
  /** Receives decoded parts. Data slices share memory with the input buffer. */
  public interface Sink {
    void data(Buffer chunk);

    /** The message ended; {@code rest} holds bytes that belong to whatever follows. */
    void end(HttpFields trailers, Buffer rest);
  }

  /** Longest chunk-size line we accept, extensions included. */
  static final int MAX_SIZE_LINE = 4096;
  /**
   * Chunk extensions in all of one body: nobody needs more, and each chunk may carry up to a
   * line's worth (Node's llhttp bounds them too since CVE-2024-22019).
   */
  static final int MAX_EXTENSION_BYTES = 16 * 1024;
  /** Chunk sizes above 2^60 are refused (16 hex digits would overflow a long). */
  static final int MAX_SIZE_DIGITS = 15;

  private enum State { SIZE_LINE, DATA, DATA_CR, DATA_LF, TRAILERS, DONE }

  private final int status;
  private final int maxTrailerBytes;
  private final int maxTrailerFields;
  private State state = State.SIZE_LINE;
  private long remaining;
  private int extensionBytes;
  private byte[] line = new byte[128];
  private int lineLength;

  /**
   * @param status the status for a fault: 400 for a request body, 502 for a response body
   */
  public ChunkedDecoder(int status, int maxTrailerBytes, int maxTrailerFields) {
    this.status = status;
    this.maxTrailerBytes = maxTrailerBytes;
    this.maxTrailerFields = maxTrailerFields;
  }

  public boolean isDone() {
    return state == State.DONE;
  }

  /** Bytes this decoder holds for a line or the trailers: never more than the limits (fuzzed). */
  int heldBytes() {
    return line.length;
  }

  /**
   * Decodes {@code in}. Returns null when all is well, or the rejection that ended decoding
   * (nothing further is emitted after a rejection).
   */
  public Rejection feed(Buffer in, Sink sink) {
    try {
      feedOrThrow(in, sink);
      return null;
    } catch (RejectedException e) {
      state = State.DONE;
      return e.rejection();
    }
  }

  private void feedOrThrow(Buffer in, Sink sink) throws RejectedException {
    int p = 0;
    int n = in.length();
    while (p < n) {
      switch (state) {
        case SIZE_LINE -> p = readSizeLine(in, p, n);
        case DATA -> {
          int take = (int) Math.min(remaining, n - p);
          sink.data(in.slice(p, p + take));
          p += take;
          remaining -= take;
          if (remaining == 0) {
            state = State.DATA_CR;
          }
        }
        case DATA_CR -> {
          if (in.getByte(p++) != '\r') {
            throw new RejectedException(status, "chunk data not followed by CRLF");
          }
          state = State.DATA_LF;
        }
        case DATA_LF -> {
          if (in.getByte(p++) != '\n') {
            throw new RejectedException(status, "chunk data not followed by CRLF");
          }
          state = State.SIZE_LINE;
        }
        case TRAILERS -> {
          p = readTrailers(in, p, n, sink);
        }
        case DONE -> throw new IllegalStateException("chunked body already ended");
      }
    }
  }

  private int readSizeLine(Buffer in, int p, int n) throws RejectedException {
    while (p < n) {
      byte b = in.getByte(p++);
      append(b, MAX_SIZE_LINE, "chunk size line too long");
      if (b == '\n') {
        if (lineLength < 2 || line[lineLength - 2] != '\r') {
          throw new RejectedException(status, "bare LF in chunk size line");
        }
        parseSize(lineLength - 2);
        lineLength = 0;
        return p;
      }
    }
    return p;
  }

  /** chunk-size [ chunk-ext ] CRLF; chunk-size = 1*HEXDIG (RFC 9112 7.1, 7.1.1). */
  private void parseSize(int end) throws RejectedException {
    int i = 0;
    long size = 0;
    int significant = 0;
    while (i < end && hex(line[i]) >= 0) {
      size = (size << 4) | hex(line[i]);
      if (size > 0 || significant > 0) {
        significant++;
      }
      if (significant > MAX_SIZE_DIGITS) {
        throw new RejectedException(status, "chunk size too large");
      }
      i++;
    }
    if (i == 0) {
      throw new RejectedException(status, "chunk size is not hexadecimal");
    }
    checkExtensions(i, end);
    if (size == 0) {
      state = State.TRAILERS;
    } else {
      remaining = size;
      state = State.DATA;
    }
  }

  /**
   * RFC 9112 7.1.1, the grammar and not just its characters (issue 29): a quote-aware parser
   * would read an unterminated quoted-string on past the line's end, and two parsers that
   * disagree on where a message ends are a desync.
   * <pre>
   * chunk-ext      = *( BWS ";" BWS chunk-ext-name [ BWS "=" BWS chunk-ext-val ] )
   * chunk-ext-name = token
   * chunk-ext-val  = token / quoted-string
   * </pre>
   * Extensions also count against {@link #MAX_EXTENSION_BYTES} for the whole body.
   */
  private void checkExtensions(int from, int end) throws RejectedException {
    extensionBytes += end - from;
    if (extensionBytes > MAX_EXTENSION_BYTES) {
      throw new RejectedException(status, "chunk extensions over " + MAX_EXTENSION_BYTES + " bytes");
    }
    int i = from;
    while (i < end) {
      i = skipWhitespace(i, end);
      if (i == end || line[i] != ';') {
        throw new RejectedException(status, "invalid character after chunk size or extension");
      }
      i = skipWhitespace(i + 1, end);
      int name = i;
      i = skipToken(i, end);
      if (i == name) {
        throw new RejectedException(status, "chunk extension without a name");
      }
      int afterName = skipWhitespace(i, end);
      if (afterName < end && line[afterName] == '=') {
        int value = skipWhitespace(afterName + 1, end);
        i = value < end && line[value] == '"' ? skipQuotedString(value, end) : skipToken(value, end);
        if (i == value) {
          throw new RejectedException(status, "chunk extension '=' without a value");
        }
      }
    }
  }

  private int skipWhitespace(int i, int end) {
    while (i < end && Syntax.isWhitespace(line[i])) {
      i++;
    }
    return i;
  }

  private int skipToken(int i, int end) {
    while (i < end && Syntax.isTchar(line[i])) {
      i++;
    }
    return i;
  }

  /**
   * quoted-string = DQUOTE *( qdtext / quoted-pair ) DQUOTE (RFC 9110 5.6.4), closed before the
   * line ends; returns the index after the closing quote.
   */
  private int skipQuotedString(int open, int end) throws RejectedException {
    for (int i = open + 1; i < end; i++) {
      int c = line[i] & 0xFF;
      if (c == '"') {
        return i + 1;
      }
      if (c == '\\') {
        i++; // quoted-pair = "\" ( HTAB / SP / VCHAR / obs-text )
        if (i == end) {
          break;
        }
        c = line[i] & 0xFF;
      }
      if (!Syntax.isFieldValueByte(c)) {
        throw new RejectedException(status, "invalid character in a quoted chunk extension");
      }
    }
    throw new RejectedException(status, "unterminated quoted-string in a chunk extension");
  }

  /** trailer-section = *( field-line CRLF ) CRLF, parsed with the same strict rules as heads. */
  private int readTrailers(Buffer in, int p, int n, Sink sink) throws RejectedException {
    while (p < n) {
      byte b = in.getByte(p++);
      append(b, maxTrailerBytes, "trailer section too large");
      if (b == '\n') {
        int end = FieldLines.headEnd(line, 0, lineLength, status);
        if (lineLength == 2 || end > 0) {
          HttpFields trailers = lineLength == 2
              ? HttpFields.EMPTY
              // A copy: the fields keep ranges of their bytes, and `line` is ours to reuse.
              : FieldLines.parseSection(java.util.Arrays.copyOf(line, end), 0, end, maxTrailerFields, status, status);
          state = State.DONE;
          sink.end(trailers, in.slice(p, n));
          return n;
        }
      }
    }
    return p;
  }

  private void append(byte b, int limit, String tooLong) throws RejectedException {
    if (lineLength == limit) {
      throw new RejectedException(status, tooLong);
    }
    if (lineLength == line.length) {
      line = java.util.Arrays.copyOf(line, Math.min(limit, line.length * 2));
    }
    line[lineLength++] = b;
  }

  private static int hex(byte b) {
    if (b >= '0' && b <= '9') return b - '0';
    if (b >= 'a' && b <= 'f') return b - 'a' + 10;
    if (b >= 'A' && b <= 'F') return b - 'A' + 10;
    return -1;
  }
}
