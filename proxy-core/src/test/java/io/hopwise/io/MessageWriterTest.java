package io.hopwise.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hopwise.http.BodyFraming;
import io.hopwise.http.HttpFields;
import io.netty.buffer.ByteBuf;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.buffer.impl.BufferImpl;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Chunk framing and joined writes: the exact bytes, and how many writes they take. */
class MessageWriterTest {

  private static String text(List<Buffer> writes) {
    StringBuilder b = new StringBuilder();
    writes.forEach(w -> b.append(w.toString(StandardCharsets.ISO_8859_1)));
    return b.toString();
  }

  private static Buffer bytes(int n) {
    byte[] b = new byte[n];
    for (int i = 0; i < n; i++) {
      b[i] = (byte) ('a' + i % 26);
    }
    return Buffer.buffer(b);
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 15, 16, 255, 4096, MessageWriter.JOIN_LIMIT, MessageWriter.JOIN_LIMIT + 1, 100_000})
  void chunkIsSizeLineDataCrlfInOneWriteWhenSmall(int n) {
    List<Buffer> writes = new ArrayList<>();
    Buffer data = bytes(n);
    MessageWriter.writeChunk(writes::add, data);
    assertEquals(Integer.toHexString(n) + "\r\n" + data.toString(StandardCharsets.ISO_8859_1) + "\r\n", text(writes));
    assertEquals(n <= MessageWriter.JOIN_LIMIT ? 1 : 3, writes.size());
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 128, MessageWriter.JOIN_LIMIT, MessageWriter.JOIN_LIMIT + 1, 65_536})
  void headAndBodyJoinedIntoOneWriteWhenTheBodyIsSmall(int n) {
    Buffer head = MessageWriter.responseHead(200, "OK", HttpFields.of("Content-Length", Integer.toString(n)), BodyFraming.length(n), null);
    Buffer body = bytes(n);
    List<Buffer> writes = new ArrayList<>();
    MessageWriter.writeJoined(writes::add, head, body);
    assertEquals("HTTP/1.1 200 OK\r\nContent-Length: " + n + "\r\n\r\n" + body.toString(StandardCharsets.ISO_8859_1),
        text(writes));
    assertEquals(n <= MessageWriter.JOIN_LIMIT ? 1 : 2, writes.size());
    if (n <= MessageWriter.JOIN_LIMIT) {
      assertSame(head, writes.get(0), "the body is appended to the head's own buffer");
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 128, MessageWriter.JOIN_LIMIT})
  void aResponseHeadHasRoomForASmallBodyOfKnownLength(int n) {
    Buffer head = MessageWriter.responseHead(200, "OK", HttpFields.of("Content-Length", Integer.toString(n), "ETag", "\"x\""),
        BodyFraming.length(n), "close");
    ByteBuf written = ((BufferImpl) head).byteBuf();
    assertTrue(written.capacity() >= head.length() + n, written.capacity() + " for " + head.length() + " + " + n);
    assertTrue(written.capacity() <= head.length() + n + 64, "sized from the fields, not a guess: " + written.capacity());
  }

  @org.junit.jupiter.api.Test
  void longTargetsAndManyFieldsAreWrittenWhole() {
    String target = "/" + "t".repeat(10_000);
    HttpFields.Builder fields = HttpFields.builder();
    for (int i = 0; i < 200; i++) {
      fields.add("X-Field-" + i, "v".repeat(i));
    }
    StringBuilder expected = new StringBuilder("GET " + target + " HTTP/1.1\r\n");
    for (int i = 0; i < 200; i++) {
      expected.append("X-Field-").append(i).append(": ").append("v".repeat(i)).append("\r\n");
    }
    expected.append("Transfer-Encoding: chunked\r\n\r\n");
    assertEquals(expected.toString(),
        MessageWriter.requestHead("GET", target, fields.build(), BodyFraming.CHUNKED).toString(StandardCharsets.ISO_8859_1));
  }

  @ParameterizedTest
  @ValueSource(longs = {0, 7, 9, 10, 99, 100, 12_345, 1L << 31, 999_999_999_999L, Long.MAX_VALUE})
  void contentLengthIsWrittenInDecimal(long n) {
    Buffer head = MessageWriter.responseHead(200, "OK", HttpFields.of("content-length", Long.toString(n), "X-A", "b"),
        BodyFraming.length(n), null);
    assertEquals("HTTP/1.1 200 OK\r\ncontent-length: " + n + "\r\nX-A: b\r\n\r\n", head.toString(StandardCharsets.ISO_8859_1));
  }

  @org.junit.jupiter.api.Test
  void identicalContentLengthsCollapseIntoOneLine() {
    // RFC 9112 6.3: "Content-Length: 42, 42" (or two lines of 42) may be taken as one 42.
    Buffer head = MessageWriter.responseHead(200, "OK",
        HttpFields.of("Content-Length", "42, 42", "Content-Length", "42"), BodyFraming.length(42), null);
    assertEquals("HTTP/1.1 200 OK\r\nContent-Length: 42\r\n\r\n", head.toString(StandardCharsets.ISO_8859_1));
  }
}
