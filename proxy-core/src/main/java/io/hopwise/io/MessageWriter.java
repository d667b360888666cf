package io.hopwise.io;

import io.hopwise.http.BodyFraming;
import io.hopwise.http.HttpField;
import io.hopwise.http.HttpFields;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;

/** Serialises heads and chunk framing. Each head is built into one buffer (one write). */
public final class MessageWriter {
  private static final Buffer CRLF = Buffer.buffer("\r\n");
  private static final Buffer LAST_CHUNK_NO_TRAILERS = Buffer.buffer("0\r\n\r\n");

  private MessageWriter() {}

  /**
   * A request head for the next hop. Framing is ours to set (RFC 9112 6): Content-Length is
   * written once with the validated value, Transfer-Encoding only as {@code chunked}.
   */
  public static Buffer requestHead(String method, String target, HttpFields fields, BodyFraming framing) {
    Buffer b = Buffer.buffer(256);
    ascii(b, method).appendByte((byte) ' ');
    ascii(b, target).appendString(" HTTP/1.1\r\n");
    fields(b, fields, framing);
    return b.appendString("\r\n");
  }

  /**
   * A response head for the client. {@code connection} is our own Connection value for this hop:
   * "close" (RFC 9112 9.6), "keep-alive" for an HTTP/1.0 client we keep (9.3), or null.
   */
  public static Buffer responseHead(int status, String reason, HttpFields fields, BodyFraming framing, String connection) {
    Buffer b = Buffer.buffer(256);
    b.appendString("HTTP/1.1 ").appendString(Integer.toString(status)).appendByte((byte) ' ');
    ascii(b, reason).appendString("\r\n");
    fields(b, fields, framing);
    if (connection != null) {
      b.appendString("Connection: ").appendString(connection).appendString("\r\n");
    }
    return b.appendString("\r\n");
  }

  /** An interim (1xx) response head: no framing fields. */
  public static Buffer interimHead(int status, String reason, HttpFields fields) {
    Buffer b = Buffer.buffer(128);
    b.appendString("HTTP/1.1 ").appendString(Integer.toString(status)).appendByte((byte) ' ');
    ascii(b, reason).appendString("\r\n");
    for (HttpField f : fields) {
      field(b, f.name(), f.value());
    }
    return b.appendString("\r\n");
  }

  /**
   * One chunk (RFC 9112 7.1) as three writes: size line, the data itself (not copied), CRLF.
   * Writes made in one event-loop turn are flushed together (see WriteCoalescing).
   */
  public static void writeChunk(java.util.function.Consumer<Buffer> out, Buffer data) {
    out.accept(Buffer.buffer(Integer.toHexString(data.length()) + "\r\n"));
    out.accept(data);
    out.accept(CRLF);
  }

  /** last-chunk, the trailer section, and the final CRLF (RFC 9112 7.1.2). */
  public static Buffer lastChunk(HttpFields trailers) {
    if (trailers.isEmpty()) {
      return LAST_CHUNK_NO_TRAILERS;
    }
    Buffer b = Buffer.buffer("0\r\n");
    for (HttpField f : trailers) {
      field(b, f.name(), f.value());
    }
    return b.appendString("\r\n");
  }

  private static void fields(Buffer b, HttpFields fields, BodyFraming framing) {
    boolean lengthWritten = false;
    for (HttpField f : fields) {
      if (f.is("Content-Length")) {
        // Validated already; identical duplicates collapse into one line (RFC 9112 6.3).
        if (!lengthWritten && framing.kind() != BodyFraming.Kind.CHUNKED
            && framing.kind() != BodyFraming.Kind.UNTIL_CLOSE) {
          field(b, f.name(), Long.toString(framing.kind() == BodyFraming.Kind.LENGTH ? framing.length() : firstLength(f.value())));
          lengthWritten = true;
        }
        continue;
      }
      field(b, f.name(), f.value());
    }
    if (framing.kind() == BodyFraming.Kind.CHUNKED) {
      b.appendString("Transfer-Encoding: chunked\r\n");
    }
  }

  private static long firstLength(String value) {
    int comma = value.indexOf(',');
    return Long.parseLong((comma < 0 ? value : value.substring(0, comma)).strip());
  }

  private static void field(Buffer b, String name, String value) {
    ascii(b, name).appendString(": ");
    ascii(b, value).appendString("\r\n");
  }

  private static Buffer ascii(Buffer b, String s) {
    return b.appendBytes(s.getBytes(StandardCharsets.ISO_8859_1));
  }
}
