package io.hopwise.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Named.named;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Table tests for {@link ChunkedDecoder}: RFC 9112 7.1 and http-rules B6. */
class ChunkedDecoderTest {
  private static final int MAX_TRAILER_BYTES = 256;
  private static final int MAX_TRAILER_FIELDS = 4;

  /** What the decoder produced: decoded data, trailers and rest (null until the end), any rejection. */
  record Result(String data, HttpFields trailers, String rest, Rejection rejection) {
    static Result ended(String data, HttpFields trailers, String rest) {
      return new Result(data, trailers, rest, null);
    }

    static Result open(String data) {
      return new Result(data, null, null, null);
    }
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }

  private static String text(Buffer b) {
    return new String(b.getBytes(), StandardCharsets.ISO_8859_1);
  }

  /**
   * Feeds {@code wire} in pieces cut at {@code cuts} (ascending offsets), stopping when the decoder
   * is done; unfed bytes after the end are appended to the reported rest.
   */
  private static Result decode(int status, String wire, int... cuts) {
    byte[] all = bytes(wire);
    ChunkedDecoder d = new ChunkedDecoder(status, MAX_TRAILER_BYTES, MAX_TRAILER_FIELDS);
    StringBuilder data = new StringBuilder();
    HttpFields[] trailers = new HttpFields[1];
    StringBuilder rest = new StringBuilder();
    int[] ends = {0};
    ChunkedDecoder.Sink sink = new ChunkedDecoder.Sink() {
      @Override
      public void data(Buffer chunk) {
        assertTrue(chunk.length() > 0, "no empty data slices");
        assertNull(trailers[0], "no data after the end");
        data.append(text(chunk));
      }

      @Override
      public void end(HttpFields t, Buffer r) {
        ends[0]++;
        trailers[0] = t;
        rest.append(text(r));
      }
    };
    int from = 0;
    int[] bounds = Arrays.copyOf(cuts, cuts.length + 1);
    bounds[cuts.length] = all.length;
    for (int to : bounds) {
      if (to <= from) {
        continue;
      }
      Rejection r = d.feed(Buffer.buffer(Arrays.copyOfRange(all, from, to)), sink);
      if (r != null) {
        assertTrue(d.isDone(), "a rejected decoder is done");
        assertNull(trailers[0], "no end after a rejection");
        return new Result(data.toString(), null, null, r);
      }
      from = to;
      if (d.isDone()) {
        rest.append(new String(all, from, all.length - from, StandardCharsets.ISO_8859_1));
        break;
      }
    }
    assertTrue(ends[0] <= 1, "end reported once");
    assertEquals(d.isDone(), ends[0] == 1, "isDone() agrees with end()");
    return trailers[0] == null ? Result.open(data.toString()) : new Result(data.toString(), trailers[0], rest.toString(), null);
  }

  private static int[] everyByte(int length) {
    int[] cuts = new int[Math.max(0, length - 1)];
    for (int i = 0; i < cuts.length; i++) {
      cuts[i] = i + 1;
    }
    return cuts;
  }

  // ---------------------------------------------------------------- valid bodies

  private static Arguments ok(String name, String wire, Result expected) {
    return Arguments.of(named(name, wire), expected);
  }

  static Stream<Arguments> valid() {
    return Stream.of(
        ok("single chunk", "5\r\nhello\r\n0\r\n\r\n", Result.ended("hello", HttpFields.EMPTY, "")),
        ok("several chunks", "5\r\nhello\r\n1\r\n \r\n5\r\nworld\r\n0\r\n\r\n", Result.ended("hello world", HttpFields.EMPTY, "")),
        ok("empty body: last chunk only", "0\r\n\r\n", Result.ended("", HttpFields.EMPTY, "")),
        ok("chunk extensions, with and without values", "5;name=value\r\nhello\r\n6;a;b=\"q s\"\r\n world\r\n0;last\r\n\r\n",
            Result.ended("hello world", HttpFields.EMPTY, "")),
        ok("BWS before the extension", "5 ;x=1\r\nhello\r\n0\t;y\r\n\r\n", Result.ended("hello", HttpFields.EMPTY, "")),
        ok("BWS around ';' and '=' in extensions", "5 ; a = \"x y\" ;\tb\t=\tc ; d\r\nhello\r\n0\r\n\r\n",
            Result.ended("hello", HttpFields.EMPTY, "")),
        ok("quoted-pairs, HTAB and obs-text in a quoted extension value",
            "5;a=\"q\\\"s\\\\\t\u00e9\";b=t\r\nhello\r\n0\r\n\r\n", Result.ended("hello", HttpFields.EMPTY, "")),
        ok("upper-case hex size", "A\r\n0123456789\r\n1F\r\n" + "x".repeat(31) + "\r\n0\r\n\r\n",
            Result.ended("0123456789" + "x".repeat(31), HttpFields.EMPTY, "")),
        ok("lower-case hex size", "a\r\n0123456789\r\n0\r\n\r\n", Result.ended("0123456789", HttpFields.EMPTY, "")),
        ok("size 0x10 is sixteen bytes", "10\r\n0123456789abcdef\r\n0\r\n\r\n", Result.ended("0123456789abcdef", HttpFields.EMPTY, "")),
        ok("leading zeros in sizes", "0005\r\nhello\r\n000\r\n\r\n", Result.ended("hello", HttpFields.EMPTY, "")),
        ok("leading zeros do not count towards the digit limit",
            "0000000000000000000005\r\nhello\r\n00000000000000000000\r\n\r\n", Result.ended("hello", HttpFields.EMPTY, "")),
        ok("data may contain CR, LF and NUL", "6\r\n\r\n\n\r\u0000\u00ff\r\n0\r\n\r\n", Result.ended("\r\n\n\r\u0000\u00ff", HttpFields.EMPTY, "")),
        ok("trailers", "5\r\nhello\r\n0\r\nX-Checksum: abc\r\nx-two:  v w \t\r\n\r\n",
            Result.ended("hello", HttpFields.of("X-Checksum", "abc", "x-two", "v w"), "")),
        ok("repeated trailer lines kept in order", "0\r\nX-A: 1\r\nX-B: 2\r\nX-A: 3\r\n\r\n",
            Result.ended("", HttpFields.of("X-A", "1", "X-B", "2", "X-A", "3"), "")),
        ok("bytes after the end come back as rest", "3\r\nabc\r\n0\r\n\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n",
            Result.ended("abc", HttpFields.EMPTY, "GET / HTTP/1.1\r\nHost: a\r\n\r\n")),
        ok("bytes after trailers come back as rest", "0\r\nX-T: 1\r\n\r\nNEXT",
            Result.ended("", HttpFields.of("X-T", "1"), "NEXT")),
        ok("rest is not inspected (bare LF there is fine)", "0\r\n\r\n\n\n\u0000", Result.ended("", HttpFields.EMPTY, "\n\n\u0000")),
        ok("incomplete: inside data", "5\r\nhel", Result.open("hel")),
        ok("incomplete: before the trailer section's end", "5\r\nhello\r\n0\r\nX-T: 1\r\n", Result.open("hello")),
        ok("incomplete: 15 hex digits is the largest size allowed", "FFFFFFFFFFFFFFF\r\nab", Result.open("ab")),
        ok("trailer section at its size limit (256 bytes)", "0\r\nX-T: " + "t".repeat(256 - 5 - 4) + "\r\n\r\n",
            Result.ended("", HttpFields.of("X-T", "t".repeat(247)), "")),
        ok("trailer section at its field limit (4)", "0\r\nA: 1\r\nB: 2\r\nC: 3\r\nD: 4\r\n\r\n",
            Result.ended("", HttpFields.of("A", "1", "B", "2", "C", "3", "D", "4"), "")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("valid")
  void decodesInOnePiece(String wire, Result expected) {
    assertEquals(expected, decode(400, wire));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("valid")
  void decodesOneByteAtATime(String wire, Result expected) {
    assertEquals(expected, decode(400, wire, everyByte(wire.length())));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("valid")
  void decodesWhenSplitInTwoAtEveryBoundary(String wire, Result expected) {
    for (int cut = 1; cut < wire.length(); cut++) {
      assertEquals(expected, decode(400, wire, cut), "split at " + cut);
    }
  }

  // ---------------------------------------------------------------- rejections

  private static Arguments no(String name, String wire, String dataBefore) {
    return Arguments.of(named(name, wire), dataBefore);
  }

  static Stream<Arguments> invalid() {
    return Stream.of(
        no("non-hex size", "g\r\nhello\r\n0\r\n\r\n", ""),
        no("negative size", "-5\r\nhello\r\n0\r\n\r\n", ""),
        no("size with 0x prefix", "0x5\r\nhello\r\n0\r\n\r\n", ""),
        no("empty size line", "\r\nhello\r\n0\r\n\r\n", ""),
        no("extension without a size", ";ext\r\nhello\r\n0\r\n\r\n", ""),
        no("size overflow: 10000000000000000 (17 digits)", "10000000000000000\r\nhello\r\n", ""),
        no("size of 16 significant hex digits", "1000000000000000\r\nhello\r\n", ""),
        no("size overflow after valid leading zeros", "0010000000000000000\r\nx\r\n", ""),
        no("bad character after size: '5g'", "5g\r\nhello\r\n0\r\n\r\n", ""),
        no("whitespace after size without an extension: '5 '", "5 \r\nhello\r\n0\r\n\r\n", ""),
        no("bad character after size: '5 x'", "5 x\r\nhello\r\n0\r\n\r\n", ""),
        no("bad character after size: '5,'", "5,\r\nhello\r\n0\r\n\r\n", ""),
        no("bare LF ending the size line", "5\nhello\r\n0\r\n\r\n", ""),
        no("bare LF alone as the size line", "\nhello\r\n0\r\n\r\n", ""),
        no("bare LF ending the last-chunk line", "5\r\nhello\r\n0\n\r\n", "hello"),
        no("bare CR in an extension", "5;a\rb\r\nhello\r\n0\r\n\r\n", ""),
        no("bare CR ending an extension", "5;a\r\r\nhello\r\n0\r\n\r\n", ""),
        no("bare CR right after the size", "5\r;a\r\nhello\r\n0\r\n\r\n", ""),
        no("control character in an extension", "5;a\u0001b\r\nhello\r\n0\r\n\r\n", ""),
        no("missing CRLF after data", "5\r\nhelloX\r\n0\r\n\r\n", "hello"),
        no("data longer than the size", "3\r\nhello\r\n0\r\n\r\n", "hel"),
        no("CR but no LF after data", "5\r\nhello\rX0\r\n\r\n", "hello"),
        no("bare LF after data", "5\r\nhello\n0\r\n\r\n", "hello"),
        no("obs-fold in trailers", "0\r\nX-A: one\r\n two\r\n\r\n", ""),
        no("bare LF in trailers", "0\r\nX-A: one\nX-B: 2\r\n\r\n", ""),
        no("bare LF as the trailer section's end", "0\r\nX-A: one\r\n\n", ""),
        no("bare LF right after the last chunk", "0\r\n\n", ""),
        no("space before colon in a trailer", "0\r\nX-A : 1\r\n\r\n", ""),
        no("NUL in a trailer value", "0\r\nX-A: a\u0000b\r\n\r\n", ""),
        no("trailer line without a colon", "0\r\nX-A\r\n\r\n", ""),
        no("too many trailer fields (5, limit 4)", "0\r\nA: 1\r\nB: 2\r\nC: 3\r\nD: 4\r\nE: 5\r\n\r\n", ""),
        no("trailer section over its size limit (257 bytes)", "0\r\nX-T: " + "t".repeat(248) + "\r\n\r\n", ""),
        no("size line over 4096 bytes", "5;" + "e".repeat(4100) + "\r\nhello\r\n0\r\n\r\n", ""),
        // Issue 29: a quote-aware parser reads on past the CRLF, so the two would disagree on
        // where the message ends (the smuggled GET of the report).
        no("unterminated quoted-string in an extension (issue 29)",
            "2;a=\"x\r\nXX\r\n0\r\n\r\nGET http://o/ka?smuggled=1 HTTP/1.1\r\nHost: o\r\n\r\n\"\r\nXX\r\n0\r\n\r\n", ""),
        no("quoted-string ending in an escaped quote", "5;a=\"x\\\"\r\nhello\r\n0\r\n\r\n", ""),
        no("quote inside a token value", "5;a=b\"c\"\r\nhello\r\n0\r\n\r\n", ""),
        no("text after a quoted value", "5;a=\"b\"c\r\nhello\r\n0\r\n\r\n", ""),
        no("extension without a name", "5;=v\r\nhello\r\n0\r\n\r\n", ""),
        no("';' with nothing after it", "5;\r\nhello\r\n0\r\n\r\n", ""),
        no("'=' with no value", "5;a=\r\nhello\r\n0\r\n\r\n", ""),
        no("whitespace after the last extension", "5;a \r\nhello\r\n0\r\n\r\n", ""),
        no("non-token character in an extension name", "5;a@b=1\r\nhello\r\n0\r\n\r\n", ""),
        no("two extensions without ';' between them", "5;a=1 b=2\r\nhello\r\n0\r\n\r\n", ""),
        no("control character in a quoted-pair", "5;a=\"\\\u0001\"\r\nhello\r\n0\r\n\r\n", ""),
        no("chunk extensions over 16 KiB in one body",
            ("1;e=" + "x".repeat(4000) + "\r\na\r\n").repeat(5) + "0\r\n\r\n", "aaaa"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalid")
  void refusedWith400(String wire, String dataBefore) {
    assertEquals(new Result(dataBefore, null, null, null), withoutReason(decode(400, wire)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalid")
  void refusedWith400OneByteAtATime(String wire, String dataBefore) {
    assertEquals(new Result(dataBefore, null, null, null), withoutReason(decode(400, wire, everyByte(wire.length()))));
  }

  /** Checks the status is 400 and drops the free-text reason so results compare exactly. */
  private static Result withoutReason(Result r) {
    assertNotNull(r.rejection(), () -> "expected a rejection, got " + r);
    assertEquals(400, r.rejection().status(), () -> "reason: " + r.rejection().reason());
    assertFalse(r.rejection().reason().isBlank(), "a reason is given");
    return new Result(r.data(), r.trailers(), r.rest(), null);
  }

  @Test
  void responseBodyFaultsUseTheConstructorsStatus() {
    Result r = decode(502, "5\r\nhelloX");
    assertNotNull(r.rejection());
    assertEquals(502, r.rejection().status());
  }

  @Test
  void feedingAfterTheEndIsAProgrammingError() {
    ChunkedDecoder d = new ChunkedDecoder(400, MAX_TRAILER_BYTES, MAX_TRAILER_FIELDS);
    ChunkedDecoder.Sink ignore = new ChunkedDecoder.Sink() {
      @Override
      public void data(Buffer chunk) {}

      @Override
      public void end(HttpFields trailers, Buffer rest) {}
    };
    assertNull(d.feed(Buffer.buffer("0\r\n\r\n"), ignore));
    assertTrue(d.isDone());
    assertThrows(IllegalStateException.class, () -> d.feed(Buffer.buffer("x"), ignore));
  }
}
