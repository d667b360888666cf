package io.hopwise.io;

import io.hopwise.http.BodyFraming;
import io.hopwise.http.HttpField;
import io.hopwise.http.HttpFields;
import io.vertx.core.buffer.Buffer;
import java.util.Arrays;

/**
 * Serialises heads and chunk framing. Each head is built into one byte array (one write), char by
 * char: a getBytes copy per name and value, and a growing Vert.x buffer, cost more than the head.
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
    Head b = new Head(fields);
    b.ascii(method).ascii(" ").ascii(target).ascii(" HTTP/1.1\r\n");
    fields(b, fields, framing);
    return b.ascii("\r\n").toBuffer();
  }

  /**
   * A response head for the client. {@code connection} is our own Connection value for this hop:
   * "close" (RFC 9112 9.6), "keep-alive" for an HTTP/1.0 client we keep (9.3), or null.
   */
  public static Buffer responseHead(int status, String reason, HttpFields fields, BodyFraming framing, String connection) {
    Head b = new Head(fields);
    statusLine(b, status, reason);
    fields(b, fields, framing);
    if (connection != null) {
      b.field("Connection", connection);
    }
    return b.ascii("\r\n").toBuffer();
  }

  /** An interim (1xx) response head: no framing fields. */
  public static Buffer interimHead(int status, String reason, HttpFields fields) {
    Head b = new Head(fields);
    statusLine(b, status, reason);
    for (int i = 0; i < fields.size(); i++) {
      b.field(fields.field(i));
    }
    return b.ascii("\r\n").toBuffer();
  }

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
   * {@code first} then {@code second} in one buffer when {@code second} is small (one write
   * instead of two), else each as it is.
   */
  public static void writeJoined(java.util.function.Consumer<Buffer> out, Buffer first, Buffer second) {
    if (second.length() <= JOIN_LIMIT) {
      out.accept(Buffer.buffer(first.length() + second.length()).appendBuffer(first).appendBuffer(second));
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
    Head b = new Head(trailers).ascii("0\r\n");
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

  /** A head being written: a byte array sized from the fields, grown if a guess was short. */
  private static final class Head {
    private byte[] bytes;
    private int length;

    Head(HttpFields fields) {
      bytes = new byte[64 + fields.size() * 48];
    }

    Head field(String name, String value) {
      return ascii(name).ascii(": ").ascii(value).ascii("\r\n");
    }

    /** A field line as received: its value's bytes are copied, not made into a string first. */
    Head field(HttpField f) {
      ascii(f.name()).ascii(": ");
      int n = f.valueLength();
      if (length + n > bytes.length) {
        bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + n));
      }
      f.copyValueTo(bytes, length);
      length += n;
      return ascii("\r\n");
    }

    /** Latin-1, as the parser read it; a char it cannot hold becomes '?' as String.getBytes does. */
    Head ascii(String s) {
      int n = s.length();
      if (length + n > bytes.length) {
        bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + n));
      }
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
      if (length + digits > bytes.length) {
        bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + digits));
      }
      long rest = n;
      for (int i = length + digits - 1; i >= length; i--) {
        bytes[i] = (byte) ('0' + rest % 10);
        rest /= 10;
      }
      length += digits;
      return this;
    }

    Head digit(int d) {
      if (length == bytes.length) {
        bytes = Arrays.copyOf(bytes, bytes.length * 2);
      }
      bytes[length++] = (byte) ('0' + d);
      return this;
    }

    /** One copy into a growable Vert.x buffer (callers may append a body to a head). */
    Buffer toBuffer() {
      return Buffer.buffer(length).appendBytes(bytes, 0, length);
    }
  }
}
