package io.hopwise.io;

import io.hopwise.http.BodyFraming;
import io.hopwise.http.HttpField;
import io.hopwise.http.HttpFields;
import io.netty.buffer.ByteBuf;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.buffer.impl.BufferImpl;

/**
 * Serialises heads and chunk framing. Each head is written char by char straight into the array
 * of the Vert.x buffer that goes out (one write, no copy): a getBytes copy per name and value, and
 * Vert.x's appends, cost more than the head.
 */
public final class MessageWriter {
  private static final Buffer CRLF = Buffer.buffer("\r\n");
  private static final Buffer LAST_CHUNK_NO_TRAILERS = Buffer.buffer("0\r\n\r\n");

  private MessageWriter() {}

  /**
   * A request head for the next hop. Framing is ours to set (RFC 9112 6): Content-Length is
   * written once with the validated value, Transfer-Encoding only as {@code chunked}.
   */
  public static Buffer requestHead(String method, String target, HttpFields fields, BodyFraming framing) {
    Head b = new Head(method.length() + target.length() + 12 + fieldsSize(fields) + FRAMING_ROOM);
    b.ascii(method).ascii(" ").ascii(target).ascii(" HTTP/1.1\r\n");
    fields(b, fields, framing);
    return b.ascii("\r\n").toBuffer();
  }

  /**
   * A response head for the client. {@code connection} is our own Connection value for this hop:
   * "close" (RFC 9112 9.6), "keep-alive" for an HTTP/1.0 client we keep (9.3), or null. A small
   * body of known length fits after the head without the buffer growing (see {@link #writeJoined}).
   */
  public static Buffer responseHead(int status, String reason, HttpFields fields, BodyFraming framing, String connection) {
    long body = framing.kind() == BodyFraming.Kind.LENGTH && framing.length() <= JOIN_LIMIT ? framing.length() : 0;
    Head b = new Head(statusLineSize(reason) + fieldsSize(fields) + FRAMING_ROOM
        + (connection != null ? connection.length() + 14 : 0) + (int) body);
    statusLine(b, status, reason);
    fields(b, fields, framing);
    if (connection != null) {
      b.field("Connection", connection);
    }
    return b.ascii("\r\n").toBuffer();
  }

  /** An interim (1xx) response head: no framing fields. */
  public static Buffer interimHead(int status, String reason, HttpFields fields) {
    Head b = new Head(statusLineSize(reason) + fieldsSize(fields) + 2);
    statusLine(b, status, reason);
    for (int i = 0; i < fields.size(); i++) {
      b.field(fields.field(i));
    }
    return b.ascii("\r\n").toBuffer();
  }

  /** "HTTP/1.1 200 " + reason + CRLF. */
  private static int statusLineSize(String reason) {
    return 13 + reason.length() + 2;
  }

  /** The bytes of the field lines as received: a head is written into an array of the right size. */
  private static int fieldsSize(HttpFields fields) {
    int n = 0;
    for (int i = 0; i < fields.size(); i++) {
      HttpField f = fields.field(i);
      n += f.name().length() + f.valueLength() + 4;
    }
    return n;
  }

  /**
   * Room for what framing may add or lengthen (Content-Length rewritten in up to 19 digits,
   * "Transfer-Encoding: chunked"), and the empty line.
   */
  private static final int FRAMING_ROOM = 32;

  private static void statusLine(Head b, int status, String reason) {
    // A three-digit status (RFC 9110 15), so no Integer.toString.
    b.ascii("HTTP/1.1 ").digit(status / 100).digit(status / 10 % 10).digit(status % 10).ascii(" ")
        .ascii(reason).ascii("\r\n");
  }

  /**
   * Bytes up to this size are copied to join what goes out together into one write; larger
   * ones are written as they are (the flush coalescing still sends them in one system call).
   */
  public static final int JOIN_LIMIT = 8192;

  /**
   * One chunk (RFC 9112 7.1): size line, data, CRLF. A small chunk is one buffer (one write);
   * a large one is three writes, so that its data is not copied.
   */
  public static void writeChunk(java.util.function.Consumer<Buffer> out, Buffer data) {
    String size = Integer.toHexString(data.length());
    if (data.length() <= JOIN_LIMIT) {
      out.accept(Buffer.buffer(size.length() + data.length() + 4).appendString(size).appendBuffer(CRLF)
          .appendBuffer(data).appendBuffer(CRLF));
      return;
    }
    out.accept(Buffer.buffer(size + "\r\n"));
    out.accept(data);
    out.accept(CRLF);
  }

  /**
   * {@code first} then {@code second} in one write when {@code second} is small: it is appended to
   * {@code first}, which must be a buffer of the caller's own that nothing else reads (a head from
   * this class has room for a small body of known length). Else each as it is.
   */
  public static void writeJoined(java.util.function.Consumer<Buffer> out, Buffer first, Buffer second) {
    if (second.length() <= JOIN_LIMIT) {
      out.accept(first.appendBuffer(second));
    } else {
      out.accept(first);
      out.accept(second);
    }
  }

  /** last-chunk, the trailer section, and the final CRLF (RFC 9112 7.1.2). */
  public static Buffer lastChunk(HttpFields trailers) {
    if (trailers.isEmpty()) {
      return LAST_CHUNK_NO_TRAILERS;
    }
    Head b = new Head(3 + fieldsSize(trailers) + 2).ascii("0\r\n");
    for (HttpField f : trailers) {
      b.field(f);
    }
    return b.ascii("\r\n").toBuffer();
  }

  private static void fields(Head b, HttpFields fields, BodyFraming framing) {
    boolean lengthWritten = false;
    for (int i = 0; i < fields.size(); i++) {
      HttpField f = fields.field(i);
      if (f.isContentLength()) {
        // Validated already; identical duplicates collapse into one line (RFC 9112 6.3).
        if (!lengthWritten && framing.kind() != BodyFraming.Kind.CHUNKED
            && framing.kind() != BodyFraming.Kind.UNTIL_CLOSE) {
          b.ascii(f.name()).ascii(": ")
              .decimal(framing.kind() == BodyFraming.Kind.LENGTH ? framing.length() : firstLength(f.value()))
              .ascii("\r\n");
          lengthWritten = true;
        }
        continue;
      }
      b.field(f);
    }
    if (framing.kind() == BodyFraming.Kind.CHUNKED) {
      b.ascii("Transfer-Encoding: chunked\r\n");
    }
  }

  private static long firstLength(String value) {
    int comma = value.indexOf(',');
    return Long.parseLong((comma < 0 ? value : value.substring(0, comma)).strip());
  }

  /**
   * A head being written into the array of a Vert.x heap buffer (array-backed from its first
   * byte), sized by the caller and grown by the buffer if the size was short.
   */
  private static final class Head {
    private final BufferImpl buffer;
    private final ByteBuf byteBuf;
    private byte[] bytes;
    private int length;

    Head(int capacity) {
      buffer = (BufferImpl) Buffer.buffer(capacity);
      byteBuf = buffer.byteBuf();
      if (!byteBuf.hasArray() || byteBuf.arrayOffset() != 0) {
        throw new IllegalStateException("Vert.x heap buffers are expected to be array-backed");
      }
      bytes = byteBuf.array();
    }

    /** Makes room for {@code n} more bytes; the buffer grows into a new array, keeping the bytes. */
    private void room(int n) {
      if (length + n > bytes.length) {
        byteBuf.writerIndex(length);
        byteBuf.ensureWritable(n);
        bytes = byteBuf.array();
      }
    }

    Head field(String name, String value) {
      return ascii(name).ascii(": ").ascii(value).ascii("\r\n");
    }

    /** A field line as received: its value's bytes are copied, not made into a string first. */
    Head field(HttpField f) {
      ascii(f.name()).ascii(": ");
      int n = f.valueLength();
      room(n);
      f.copyValueTo(bytes, length);
      length += n;
      return ascii("\r\n");
    }

    /** Latin-1, as the parser read it; a char it cannot hold becomes '?' as String.getBytes does. */
    Head ascii(String s) {
      int n = s.length();
      room(n);
      for (int i = 0; i < n; i++) {
        char c = s.charAt(i);
        bytes[length++] = c <= 0xFF ? (byte) c : (byte) '?';
      }
      return this;
    }

    /** A non-negative number in decimal, written in place (no string per response). */
    Head decimal(long n) {
      if (n < 0) {
        throw new IllegalArgumentException("negative length " + n);
      }
      int digits = 1;
      for (long rest = n / 10; rest > 0; rest /= 10) {
        digits++;
      }
      room(digits);
      long rest = n;
      for (int i = length + digits - 1; i >= length; i--) {
        bytes[i] = (byte) ('0' + rest % 10);
        rest /= 10;
      }
      length += digits;
      return this;
    }

    Head digit(int d) {
      room(1);
      bytes[length++] = (byte) ('0' + d);
      return this;
    }

    /** The buffer written, as it is (callers may append a body to a head). */
    Buffer toBuffer() {
      byteBuf.writerIndex(length);
      return buffer;
    }
  }
}
