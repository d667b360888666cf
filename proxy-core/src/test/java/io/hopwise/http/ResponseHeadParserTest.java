package io.hopwise.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Named.named;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Table tests for {@link ResponseHeadParser}: RFC 9112 4 and 6.3, faults are 502 (http-rules B8). */
class ResponseHeadParserTest {
  private static final int MAX_HEAD = 256;
  private static final int MAX_FIELDS = 8;
  private static final HttpVersion V11 = HttpVersion.HTTP_1_1;

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }

  private static ParseOutcome<ResponseHead> parse(String raw, String method) {
    byte[] b = bytes(raw);
    return new ResponseHeadParser(MAX_HEAD, MAX_FIELDS).parse(b, b.length, method);
  }

  private static ResponseHead head(HttpVersion v, int status, String reason, BodyFraming framing, String... fields) {
    return new ResponseHead(v, status, reason, HttpFields.of(fields), framing);
  }

  private static Arguments ok(String name, String method, String raw, int consumed, ResponseHead expected) {
    return Arguments.of(named(name, raw), method, consumed, expected);
  }

  static Stream<Arguments> accepted() {
    String cl = "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n";
    String chunked = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n";
    return Stream.of(
        ok("200 with Content-Length; body not consumed", "GET", cl + "hello", cl.length(),
            head(V11, 200, "OK", BodyFraming.length(5), "Content-Length", "5")),
        ok("HEAD response with Content-Length has no body", "HEAD", cl, cl.length(),
            head(V11, 200, "OK", BodyFraming.NONE, "Content-Length", "5")),
        ok("HEAD response with chunked has no body", "HEAD", chunked, chunked.length(),
            head(V11, 200, "OK", BodyFraming.NONE, "Transfer-Encoding", "chunked")),
        ok("204 has no body", "GET", "HTTP/1.1 204 No Content\r\n\r\n", 27,
            head(V11, 204, "No Content", BodyFraming.NONE)),
        ok("304 with Content-Length has no body", "GET", "HTTP/1.1 304 Not Modified\r\nContent-Length: 100\r\n\r\n", 50,
            head(V11, 304, "Not Modified", BodyFraming.NONE, "Content-Length", "100")),
        ok("100 Continue has no body", "POST", "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\n", 25,
            head(V11, 100, "Continue", BodyFraming.NONE)),
        ok("101 Switching Protocols has no body", "GET", "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n", 56,
            head(V11, 101, "Switching Protocols", BodyFraming.NONE, "Upgrade", "websocket")),
        ok("103 Early Hints has no body", "GET", "HTTP/1.1 103 Early Hints\r\nLink: </s.css>\r\n\r\n", 44,
            head(V11, 103, "Early Hints", BodyFraming.NONE, "Link", "</s.css>")),
        ok("chunked", "GET", chunked + "5\r\nhello\r\n0\r\n\r\n", chunked.length(),
            head(V11, 200, "OK", BodyFraming.CHUNKED, "Transfer-Encoding", "chunked")),
        ok("chunked, any case", "GET", "HTTP/1.1 200 OK\r\nTransfer-Encoding: Chunked\r\n\r\n", 47,
            head(V11, 200, "OK", BodyFraming.CHUNKED, "Transfer-Encoding", "Chunked")),
        ok("neither length nor chunked: until close", "GET", "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nabc", 45,
            head(V11, 200, "OK", BodyFraming.UNTIL_CLOSE, "Content-Type", "text/plain")),
        ok("Content-Length: 0 is no body", "GET", "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", 38,
            head(V11, 200, "OK", BodyFraming.NONE, "Content-Length", "0")),
        ok("identical duplicate Content-Length '5, 5'", "GET", "HTTP/1.1 200 OK\r\nContent-Length: 5, 5\r\n\r\n", 41,
            head(V11, 200, "OK", BodyFraming.length(5), "Content-Length", "5, 5")),
        ok("HTTP/1.0 response", "GET", "HTTP/1.0 404 Not Found\r\nContent-Length: 2\r\n\r\nno", 45,
            head(HttpVersion.HTTP_1_0, 404, "Not Found", BodyFraming.length(2), "Content-Length", "2")),
        ok("status line without reason or its space", "GET", "HTTP/1.1 200\r\nContent-Length: 1\r\n\r\n", 35,
            head(V11, 200, "", BodyFraming.length(1), "Content-Length", "1")),
        ok("status line with empty reason", "GET", "HTTP/1.1 200 \r\nContent-Length: 1\r\n\r\n", 36,
            head(V11, 200, "", BodyFraming.length(1), "Content-Length", "1")),
        ok("reason with spaces and obs-text", "GET", "HTTP/1.1 500 Internal  Erreur \u00e9\r\nContent-Length: 0\r\n\r\n", 54,
            head(V11, 500, "Internal  Erreur \u00e9", BodyFraming.NONE, "Content-Length", "0")),
        ok("field order, case and repeats kept", "GET",
            "HTTP/1.1 200 OK\r\nSet-Cookie: a=1\r\nset-cookie: b=2\r\nContent-Length: 0\r\n\r\n", 72,
            head(V11, 200, "OK", BodyFraming.NONE, "Set-Cookie", "a=1", "set-cookie", "b=2", "Content-Length", "0")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("accepted")
  void parsed(String raw, String method, int consumed, ResponseHead expected) {
    ParseOutcome<ResponseHead> o = parse(raw, method);
    ParseOutcome.Parsed<ResponseHead> p = assertInstanceOf(ParseOutcome.Parsed.class, o, () -> "got " + o);
    assertEquals(expected, p.head());
    assertEquals(consumed, p.consumed(), "consumed");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("accepted")
  void everyPrefixNeedsMore(String raw, String method, int consumed, ResponseHead expected) {
    byte[] b = bytes(raw);
    ResponseHeadParser parser = new ResponseHeadParser(MAX_HEAD, MAX_FIELDS);
    for (int n = 0; n < consumed; n++) {
      int len = n;
      ParseOutcome<ResponseHead> o = parser.parse(Arrays.copyOf(b, n), n, method);
      assertInstanceOf(ParseOutcome.NeedMore.class, o, () -> "prefix of " + len + " bytes: " + o);
    }
  }

  private static Arguments no(String name, String raw) {
    return Arguments.of(named(name, raw), "GET");
  }

  static Stream<Arguments> refused() {
    return Stream.of(
        no("Content-Length and Transfer-Encoding", "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n"),
        Arguments.of(named("Content-Length and Transfer-Encoding, even for HEAD",
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n"), "HEAD"),
        no("differing Content-Length '5, 6'", "HTTP/1.1 200 OK\r\nContent-Length: 5, 6\r\n\r\n"),
        no("differing Content-Length lines", "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\n"),
        no("negative Content-Length", "HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n"),
        no("hex Content-Length", "HTTP/1.1 200 OK\r\nContent-Length: 0x5\r\n\r\n"),
        Arguments.of(named("invalid Content-Length on a 304", "HTTP/1.1 304 Not Modified\r\nContent-Length: x\r\n\r\n"), "GET"),
        no("Transfer-Encoding not ending in chunked", "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\n"),
        no("Transfer-Encoding 'xchunked'", "HTTP/1.1 200 OK\r\nTransfer-Encoding: xchunked\r\n\r\n"),
        no("Transfer-Encoding 'chunked, chunked'", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked, chunked\r\n\r\n"),
        no("Transfer-Encoding 'gzip, chunked' (we relay chunked only)", "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n"),
        no("space before colon", "HTTP/1.1 200 OK\r\nContent-Length : 5\r\n\r\n"),
        no("obs-fold", "HTTP/1.1 200 OK\r\nX-A: 1\r\n 2\r\n\r\n"),
        no("bare LF ending the status line", "HTTP/1.1 200 OK\nContent-Length: 0\r\n\r\n"),
        no("bare LF ending a field line", "HTTP/1.1 200 OK\r\nContent-Length: 0\n\r\n"),
        no("bare CR in the status line", "HTTP/1.1 200 O\rK\r\n\r\n"),
        no("NUL in a field value", "HTTP/1.1 200 OK\r\nX-A: a\u0000\r\n\r\n"),
        no("invalid field-name character", "HTTP/1.1 200 OK\r\nX/A: 1\r\n\r\n"),
        no("two-digit status", "HTTP/1.1 20 OK\r\n\r\n"),
        no("four-digit status", "HTTP/1.1 2000 OK\r\n\r\n"),
        no("non-numeric status", "HTTP/1.1 abc OK\r\n\r\n"),
        no("non-digit in the middle of the status", "HTTP/1.1 2x0 OK\r\n\r\n"),
        no("non-digit last in the status", "HTTP/1.1 20/ OK\r\n\r\n"),
        no("no space after the status", "HTTP/1.1 200OK\r\n\r\n"),
        no("HTTP/1.2 version", "HTTP/1.2 200 OK\r\n\r\n"),
        no("status with a leading zero", "HTTP/1.1 099 Odd\r\n\r\n"),
        no("double space before the status", "HTTP/1.1  200 OK\r\n\r\n"),
        no("HTTP/2 version", "HTTP/2 200 OK\r\n\r\n"),
        no("HTTP/2.0 version", "HTTP/2.0 200 OK\r\n\r\n"),
        no("lower-case version", "http/1.1 200 OK\r\n\r\n"),
        no("not HTTP at all", "ICY 200 OK\r\n\r\n"),
        no("empty status line", "\r\nHTTP/1.1 200 OK\r\n\r\n"),
        no("too many fields (9, limit 8)", "HTTP/1.1 200 OK\r\n" + "X: 1\r\n".repeat(9) + "\r\n"),
        no("head over the size limit", "HTTP/1.1 200 OK\r\nX-Big: " + "b".repeat(300) + "\r\n\r\n"),
        no("unterminated head over the size limit", "HTTP/1.1 200 OK\r\nX-Big: " + "b".repeat(300)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("refused")
  void refusedWith502(String raw, String method) {
    ParseOutcome<ResponseHead> o = parse(raw, method);
    ParseOutcome.Refused<ResponseHead> r = assertInstanceOf(ParseOutcome.Refused.class, o, () -> "got " + o);
    assertEquals(502, r.rejection().status(), () -> "reason: " + r.rejection().reason());
  }

  static Stream<Arguments> partial() {
    return Stream.of(
        Arguments.of(named("nothing", "")),
        Arguments.of(named("half a status line", "HTTP/1.1 20")),
        Arguments.of(named("status line only", "HTTP/1.1 200 OK\r\n")),
        Arguments.of(named("fields without the empty line", "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n")),
        Arguments.of(named("empty line's CR only", "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("partial")
  void needsMore(String raw) {
    ParseOutcome<ResponseHead> o = parse(raw, "GET");
    assertInstanceOf(ParseOutcome.NeedMore.class, o, () -> "got " + o);
  }
}
