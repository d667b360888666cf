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

/** Table tests for {@link RequestHeadParser}: http-rules B1-B7 and the 414/431/505 limits. */
class RequestHeadParserTest {
  /** Small limits so the 414/431 cases stay readable: 64-byte request line, 256-byte fields, 10 fields. */
  private static final HeadLimits SMALL = new HeadLimits(64, 256, 10);
  private static final HttpVersion V11 = HttpVersion.HTTP_1_1;
  private static final HttpVersion V10 = HttpVersion.HTTP_1_0;

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }

  private static ParseOutcome<RequestHead> parse(String raw) {
    byte[] b = bytes(raw);
    return new RequestHeadParser(SMALL).parse(b, b.length);
  }

  private static String repeat(char c, int n) {
    return String.valueOf(c).repeat(n);
  }

  // ---------------------------------------------------------------- refusals

  private static Arguments no(String name, String raw, int status) {
    return Arguments.of(named(name, raw), status);
  }

  private static String post(String fields) {
    return "POST /upload HTTP/1.1\r\nHost: a.example\r\n" + fields + "\r\n";
  }

  static Stream<Arguments> refusals() {
    return Stream.of(
        // B1
        no("Content-Length and Transfer-Encoding", post("Content-Length: 5\r\nTransfer-Encoding: chunked\r\n"), 400),
        no("Transfer-Encoding then Content-Length", post("Transfer-Encoding: chunked\r\nContent-Length: 5\r\n"), 400),
        // B2
        no("Content-Length with a sign: +5", post("Content-Length: +5\r\n"), 400),
        no("Content-Length negative: -1", post("Content-Length: -1\r\n"), 400),
        no("Content-Length hex: 0x5", post("Content-Length: 0x5\r\n"), 400),
        no("Content-Length empty", post("Content-Length: \r\n"), 400),
        no("Content-Length '5 5'", post("Content-Length: 5 5\r\n"), 400),
        no("Content-Length differing list '5, 6'", post("Content-Length: 5, 6\r\n"), 400),
        no("Content-Length differing lines 5 / 6", post("Content-Length: 5\r\nContent-Length: 6\r\n"), 400),
        no("Content-Length with empty element '5,'", post("Content-Length: 5,\r\n"), 400),
        no("Content-Length decimal point '5.0'", post("Content-Length: 5.0\r\n"), 400),
        no("Content-Length over 18 digits", post("Content-Length: 1000000000000000000000\r\n"), 400),
        // B3
        no("Transfer-Encoding 'chunked, identity' (chunked not final)", post("Transfer-Encoding: chunked, identity\r\n"), 400),
        no("Transfer-Encoding 'xchunked'", post("Transfer-Encoding: xchunked\r\n"), 400),
        no("Transfer-Encoding 'identity'", post("Transfer-Encoding: identity\r\n"), 400),
        no("Transfer-Encoding empty", post("Transfer-Encoding: \r\n"), 400),
        no("Transfer-Encoding 'chunked, chunked'", post("Transfer-Encoding: chunked, chunked\r\n"), 400),
        no("Transfer-Encoding lines chunked / chunked", post("Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n"), 400),
        no("Transfer-Encoding 'gzip, chunked' (unknown coding)", post("Transfer-Encoding: gzip, chunked\r\n"), 501),
        no("Transfer-Encoding lines gzip / chunked", post("Transfer-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n"), 501),
        // B4
        no("Transfer-Encoding on an HTTP/1.0 request",
            "POST / HTTP/1.0\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n", 400),
        // B5
        no("obs-fold with SP", "GET / HTTP/1.1\r\nHost: a\r\nX-A: one\r\n two\r\n\r\n", 400),
        no("obs-fold with HTAB", "GET / HTTP/1.1\r\nHost: a\r\nX-A: one\r\n\ttwo\r\n\r\n", 400),
        no("whitespace-led first field line", "GET / HTTP/1.1\r\n Host: a\r\n\r\n", 400),
        no("space before colon", "GET / HTTP/1.1\r\nHost : a\r\n\r\n", 400),
        no("tab before colon", "GET / HTTP/1.1\r\nHost\t: a\r\n\r\n", 400),
        no("bare LF ending the request line", "GET / HTTP/1.1\nHost: a\r\n\r\n", 400),
        no("bare LF ending a field line", "GET / HTTP/1.1\r\nHost: a\nX-A: 1\r\n\r\n", 400),
        no("bare LF as the empty line", "GET / HTTP/1.1\r\nHost: a\r\n\n", 400),
        no("bare LF before the request line", "\nGET / HTTP/1.1\r\nHost: a\r\n\r\n", 400),
        no("bare LF after an ignored leading CRLF", "\r\n\nGET / HTTP/1.1\r\nHost: a\r\n\r\n", 400),
        no("bare CR inside a field value", "GET / HTTP/1.1\r\nHost: a\r\nX-A: 1\r2\r\n\r\n", 400),
        no("bare CR at the end of a field value", "GET / HTTP/1.1\r\nHost: a\r\nX-A: 1\r\r\n\r\n", 400),
        no("bare CR in the request line", "GET /\r HTTP/1.1\r\nHost: a\r\n\r\n", 400),
        no("bare CR before the request line", "\rGET / HTTP/1.1\r\nHost: a\r\n\r\n", 400),
        no("NUL in a field value", "GET / HTTP/1.1\r\nHost: a\r\nX-A: a\u0000b\r\n\r\n", 400),
        no("control character (0x01) in a field value", "GET / HTTP/1.1\r\nHost: a\r\nX-A: a\u0001b\r\n\r\n", 400),
        no("DEL in a field value", "GET / HTTP/1.1\r\nHost: a\r\nX-A: a\u007fb\r\n\r\n", 400),
        no("invalid field-name character '('", "GET / HTTP/1.1\r\nHost: a\r\nX(A): 1\r\n\r\n", 400),
        no("invalid field-name character '@'", "GET / HTTP/1.1\r\nHost: a\r\nX@A: 1\r\n\r\n", 400),
        no("non-ASCII field name", "GET / HTTP/1.1\r\nHost: a\r\nX-\u00e9: 1\r\n\r\n", 400),
        no("empty field name", "GET / HTTP/1.1\r\nHost: a\r\n: 1\r\n\r\n", 400),
        no("field line without a colon", "GET / HTTP/1.1\r\nHost: a\r\nX-A\r\n\r\n", 400),
        // B7
        no("HTTP/1.1 without Host", "GET / HTTP/1.1\r\nAccept: */*\r\n\r\n", 400),
        no("two Host lines", "GET / HTTP/1.1\r\nHost: a\r\nHost: a\r\n\r\n", 400),
        no("two Host lines on HTTP/1.0", "GET / HTTP/1.0\r\nHost: a\r\nhost: b\r\n\r\n", 400),
        no("invalid Host 'a b'", "GET / HTTP/1.1\r\nHost: a b\r\n\r\n", 400),
        no("invalid Host 'x@y' (userinfo)", "GET / HTTP/1.1\r\nHost: x@y\r\n\r\n", 400),
        no("invalid Host port 99999", "GET / HTTP/1.1\r\nHost: a:99999\r\n\r\n", 400),
        no("invalid Host: unclosed IPv6 bracket", "GET / HTTP/1.1\r\nHost: [::1\r\n\r\n", 400),
        no("invalid Host on HTTP/1.0", "GET / HTTP/1.0\r\nHost: a/b\r\n\r\n", 400),
        // Limits (E): 414, 431
        no("request line of 65 bytes (limit 64)",
            "GET /" + repeat('a', 51) + " HTTP/1.1\r\nHost: a\r\n\r\n", 414),
        no("unterminated request line over the limit",
            "GET /" + repeat('a', 100), 414),
        no("request line over the limit, rest of head not here yet",
            "GET /" + repeat('a', 100) + " HTTP/1.1\r\nHost: a\r\n", 414),
        no("header section of 257 bytes (limit 256)",
            "GET / HTTP/1.1\r\nHost: a\r\nX-Big: " + repeat('b', 237) + "\r\n\r\n", 431),
        no("unterminated header section over the limit",
            "GET / HTTP/1.1\r\nHost: a\r\nX-Big: " + repeat('b', 300), 431),
        no("11 field lines (limit 10)",
            "GET / HTTP/1.1\r\nHost: a\r\n" + "X: 1\r\n".repeat(10) + "\r\n", 431),
        // Request line (RFC 9112 3)
        no("HTTP/2.0", "GET / HTTP/2.0\r\nHost: a\r\n\r\n", 505),
        no("more leading empty lines than the request-line limit", "\r\n".repeat(33) + "GET / HTTP/1.1\r\nHost: a\r\n\r\n", 400),
        no("only leading empty lines, more than the limit", "\r\n".repeat(40), 400),
        no("Transfer-Encoding 'gzip, chunked, chunked' (chunked twice wins over unknown)", post("Transfer-Encoding: gzip, chunked, chunked\r\n"), 400),
        no("HTTP/0.9", "GET / HTTP/0.9\r\nHost: a\r\n\r\n", 505),
        no("garbage version 'FOO/1.1'", "GET / FOO/1.1\r\nHost: a\r\n\r\n", 400),
        no("version 'HTTP/1'", "GET / HTTP/1\r\nHost: a\r\n\r\n", 400),
        no("version 'HTTP/11.1'", "GET / HTTP/11.1\r\nHost: a\r\n\r\n", 400),
        no("lower-case 'http/1.1'", "GET / http/1.1\r\nHost: a\r\n\r\n", 400),
        no("missing version", "GET /\r\nHost: a\r\n\r\n", 400),
        no("empty version after the second space", "GET / \r\nHost: a\r\n\r\n", 400),
        no("double space between method and target", "GET  / HTTP/1.1\r\nHost: a\r\n\r\n", 400),
        no("double space between target and version", "GET /  HTTP/1.1\r\nHost: a\r\n\r\n", 400),
        no("trailing space after the version", "GET / HTTP/1.1 \r\nHost: a\r\n\r\n", 400),
        no("leading space before the method", " GET / HTTP/1.1\r\nHost: a\r\n\r\n", 400),
        no("tabs instead of spaces", "GET\t/\tHTTP/1.1\r\nHost: a\r\n\r\n", 400),
        no("invalid method character", "GE(T / HTTP/1.1\r\nHost: a\r\n\r\n", 400),
        no("non-ASCII byte in the target", "GET /caf\u00e9 HTTP/1.1\r\nHost: a\r\n\r\n", 400),
        no("DEL in the target", "GET /a\u007fb HTTP/1.1\r\nHost: a\r\n\r\n", 400));
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @MethodSource("refusals")
  void refused(String raw, int status) {
    ParseOutcome<RequestHead> o = parse(raw);
    ParseOutcome.Refused<RequestHead> r = assertInstanceOf(ParseOutcome.Refused.class, o, () -> "got " + o);
    assertEquals(status, r.rejection().status(), () -> "reason: " + r.rejection().reason());
  }

  // ---------------------------------------------------------------- need more

  static Stream<Arguments> partial() {
    return Stream.of(
        Arguments.of(named("nothing yet", "")),
        Arguments.of(named("half a request line", "GET / HT")),
        Arguments.of(named("request line up to CR", "GET / HTTP/1.1\r")),
        Arguments.of(named("request line only", "GET / HTTP/1.1\r\n")),
        Arguments.of(named("fields without the empty line", "GET / HTTP/1.1\r\nHost: a\r\n")),
        Arguments.of(named("empty line's CR only", "GET / HTTP/1.1\r\nHost: a\r\n\r")),
        Arguments.of(named("half a field line", "GET / HTTP/1.1\r\nHost: a\r\nX-A: 1")),
        Arguments.of(named("only a leading CRLF", "\r\n")),
        Arguments.of(named("only a CR", "\r")),
        Arguments.of(named("leading CRLFs then half a request line", "\r\n\r\nGET /")),
        Arguments.of(named("a request line of exactly the limit, CR here, LF not yet",
            "GET /" + repeat('a', 50) + " HTTP/1.1\r")),
        Arguments.of(named("request line of 64 bytes, no CR yet", "GET /" + repeat('a', 50) + " HTTP/1.1")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("partial")
  void needsMore(String raw) {
    ParseOutcome<RequestHead> o = parse(raw);
    assertInstanceOf(ParseOutcome.NeedMore.class, o, () -> "got " + o);
  }

  /**
   * The same partial heads under "unlimited" limits (Integer.MAX_VALUE): the 414 check for an
   * unterminated request line once computed {@code maxRequestLineBytes + 1}, which overflowed and
   * refused every partial request line, even an empty buffer (found by RequestHeadParserFuzzTest).
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("partial")
  void needsMoreUnderUnboundedLimits(String raw) {
    byte[] b = bytes(raw);
    HeadLimits unbounded = new HeadLimits(Integer.MAX_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE);
    ParseOutcome<RequestHead> o = new RequestHeadParser(unbounded).parse(b, b.length);
    assertInstanceOf(ParseOutcome.NeedMore.class, o, () -> "got " + o);
  }

  @org.junit.jupiter.api.Test
  void onlyTheFirstLengthBytesAreRead() {
    byte[] b = bytes("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
    ParseOutcome<RequestHead> o = new RequestHeadParser(SMALL).parse(b, b.length - 2);
    assertInstanceOf(ParseOutcome.NeedMore.class, o, () -> "got " + o);
  }

  // ---------------------------------------------------------------- accepted

  private static Arguments ok(String name, String raw, int consumed, RequestHead expected) {
    return Arguments.of(named(name, raw), consumed, expected);
  }

  private static RequestHead head(String method, String target, HttpVersion v, BodyFraming framing, String... fields) {
    return new RequestHead(method, target, v, HttpFields.of(fields), framing);
  }

  static Stream<Arguments> accepted() {
    String simple = "GET /index.html?q=1 HTTP/1.1\r\nHost: a.example\r\nAccept: */*\r\n\r\n";
    String post = "POST /p HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\n";
    String chunked = "POST /p HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n";
    String line64 = "GET /" + repeat('a', 50) + " HTTP/1.1\r\n";
    String fields256 = "Host: a\r\nX-Big: " + repeat('b', 236) + "\r\n\r\n";
    return Stream.of(
        ok("simple GET, origin-form", simple, simple.length(),
            head("GET", "/index.html?q=1", V11, BodyFraming.NONE, "Host", "a.example", "Accept", "*/*")),
        ok("absolute-form GET", "GET http://b.example:8080/x HTTP/1.1\r\nHost: b.example:8080\r\n\r\n", 62,
            head("GET", "http://b.example:8080/x", V11, BodyFraming.NONE, "Host", "b.example:8080")),
        ok("CONNECT authority-form", "CONNECT b.example:443 HTTP/1.1\r\nHost: b.example:443\r\n\r\n", 55,
            head("CONNECT", "b.example:443", V11, BodyFraming.NONE, "Host", "b.example:443")),
        ok("OPTIONS *", "OPTIONS * HTTP/1.1\r\nHost: a\r\n\r\n", 31,
            head("OPTIONS", "*", V11, BodyFraming.NONE, "Host", "a")),
        ok("HTTP/1.0 without Host", "GET / HTTP/1.0\r\n\r\n", 18,
            head("GET", "/", V10, BodyFraming.NONE)),
        ok("HTTP/1.0 with Host and Content-Length", "POST / HTTP/1.0\r\nHost: a\r\nContent-Length: 3\r\n\r\nabc", 47,
            head("POST", "/", V10, BodyFraming.length(3), "Host", "a", "Content-Length", "3")),
        ok("empty Host on HTTP/1.1", "GET / HTTP/1.1\r\nHost:\r\n\r\n", 25,
            head("GET", "/", V11, BodyFraming.NONE, "Host", "")),
        ok("IPv6 Host", "GET / HTTP/1.1\r\nHost: [::1]:8080\r\n\r\n", 36,
            head("GET", "/", V11, BodyFraming.NONE, "Host", "[::1]:8080")),
        ok("Content-Length: 5, body and next request not consumed (pipelining)",
            post + "helloGET / HTTP/1.1\r\nHost: a\r\n\r\n", post.length(),
            head("POST", "/p", V11, BodyFraming.length(5), "Host", "a", "Content-Length", "5")),
        ok("identical duplicates '5, 5' are length 5", "POST /p HTTP/1.1\r\nHost: a\r\nContent-Length: 5, 5\r\n\r\nhello", 51,
            head("POST", "/p", V11, BodyFraming.length(5), "Host", "a", "Content-Length", "5, 5")),
        ok("identical duplicate lines 5 / 5 are length 5",
            "POST /p HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\ncontent-length:5\r\n\r\n", 66,
            head("POST", "/p", V11, BodyFraming.length(5), "Host", "a", "Content-Length", "5", "content-length", "5")),
        ok("Content-Length: 0 is no body", "POST /p HTTP/1.1\r\nHost: a\r\nContent-Length: 0\r\n\r\n", 48,
            head("POST", "/p", V11, BodyFraming.NONE, "Host", "a", "Content-Length", "0")),
        ok("Content-Length with leading zeros", "POST /p HTTP/1.1\r\nHost: a\r\nContent-Length: 007\r\n\r\n", 50,
            head("POST", "/p", V11, BodyFraming.length(7), "Host", "a", "Content-Length", "007")),
        ok("Transfer-Encoding: chunked, body not consumed", chunked + "5\r\nhello\r\n0\r\n\r\n", chunked.length(),
            head("POST", "/p", V11, BodyFraming.CHUNKED, "Host", "a", "Transfer-Encoding", "chunked")),
        ok("Transfer-Encoding: cHuNkEd is chunked", "POST /p HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: cHuNkEd\r\n\r\n", 57,
            head("POST", "/p", V11, BodyFraming.CHUNKED, "Host", "a", "Transfer-Encoding", "cHuNkEd")),
        ok("field values lose outer OWS only; empty value kept",
            "GET / HTTP/1.1\r\nHost:a\r\nX-A: \t a  b \t\r\nX-Empty:\r\nX-Sp:   \r\n\r\n", 61,
            head("GET", "/", V11, BodyFraming.NONE, "Host", "a", "X-A", "a  b", "X-Empty", "", "X-Sp", "")),
        ok("name case, order and repeated lines kept",
            "GET / HTTP/1.1\r\nhost: a\r\nX-b: 1\r\nCOOKIE: c=1\r\nx-B: 2\r\nCookie: d=2\r\n\r\n", 69,
            head("GET", "/", V11, BodyFraming.NONE, "host", "a", "X-b", "1", "COOKIE", "c=1", "x-B", "2", "Cookie", "d=2")),
        ok("obs-text in a value is kept (ISO-8859-1)", "GET / HTTP/1.1\r\nHost: a\r\nX-A: caf\u00e9\r\n\r\n", 38,
            head("GET", "/", V11, BodyFraming.NONE, "Host", "a", "X-A", "caf\u00e9")),
        ok("colon and tabs inside a value", "GET / HTTP/1.1\r\nHost: a\r\nX-A: b:c\td\r\n\r\n", 39,
            head("GET", "/", V11, BodyFraming.NONE, "Host", "a", "X-A", "b:c\td")),
        ok("leading CRLFs before the request line are ignored but consumed",
            "\r\n\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n", 31,
            head("GET", "/", V11, BodyFraming.NONE, "Host", "a")),
        ok("HTTP/1.2 is handled as HTTP/1.1 (RFC 9110 2.5)", "GET / HTTP/1.2\r\nHost: a\r\n\r\n", 27,
            head("GET", "/", V11, BodyFraming.NONE, "Host", "a")),
        ok("two pipelined requests: only the first is consumed",
            "GET /1 HTTP/1.1\r\nHost: a\r\n\r\nGET /2 HTTP/1.1\r\nHost: a\r\n\r\n", 28,
            head("GET", "/1", V11, BodyFraming.NONE, "Host", "a")),
        ok("bytes after the head are not inspected (a bare LF there is the next message's problem)",
            "GET / HTTP/1.1\r\nHost: a\r\n\r\n\n\u0000garbage", 27,
            head("GET", "/", V11, BodyFraming.NONE, "Host", "a")),
        ok("any token method, case kept", "purge /x HTTP/1.1\r\nHost: a\r\n\r\n", 30,
            head("purge", "/x", V11, BodyFraming.NONE, "Host", "a")),
        ok("exactly 10 field lines (limit 10)", "GET / HTTP/1.1\r\nHost: a\r\n" + "X: 1\r\n".repeat(9) + "\r\n", 81,
            head("GET", "/", V11, BodyFraming.NONE, "Host", "a", "X", "1", "X", "1", "X", "1", "X", "1", "X", "1", "X", "1",
                "X", "1", "X", "1", "X", "1")),
        ok("request line of exactly 64 bytes (limit 64)", line64 + "Host: a\r\n\r\n", 66 + 11,
            head("GET", "/" + repeat('a', 50), V11, BodyFraming.NONE, "Host", "a")),
        ok("header section of exactly 256 bytes (limit 256)", "GET / HTTP/1.1\r\n" + fields256, 16 + 256,
            head("GET", "/", V11, BodyFraming.NONE, "Host", "a", "X-Big", repeat('b', 236))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("accepted")
  void parsed(String raw, int consumed, RequestHead expected) {
    ParseOutcome<RequestHead> o = parse(raw);
    ParseOutcome.Parsed<RequestHead> p = assertInstanceOf(ParseOutcome.Parsed.class, o, () -> "got " + o);
    assertEquals(expected, p.head());
    assertEquals(consumed, p.consumed(), "consumed");
  }

  /**
   * The outcome must not depend on how the bytes were split: every proper prefix of an acceptable
   * head needs more, and the head is parsed the same however much follows it.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("accepted")
  void everyPrefixNeedsMore(String raw, int consumed, RequestHead expected) {
    byte[] b = bytes(raw);
    RequestHeadParser parser = new RequestHeadParser(SMALL);
    for (int n = 0; n < consumed; n++) {
      ParseOutcome<RequestHead> o = parser.parse(Arrays.copyOf(b, n), n);
      int len = n;
      assertInstanceOf(ParseOutcome.NeedMore.class, o, () -> "prefix of " + len + " bytes: " + o);
    }
    for (int n = consumed; n <= b.length; n++) {
      ParseOutcome<RequestHead> o = parser.parse(b, n);
      int len = n;
      ParseOutcome.Parsed<RequestHead> p = assertInstanceOf(ParseOutcome.Parsed.class, o, () -> len + " bytes: " + o);
      assertEquals(expected, p.head());
      assertEquals(consumed, p.consumed());
    }
  }

  @org.junit.jupiter.api.Test
  void defaultLimitsAcceptALongRealisticHead() {
    String raw = "GET http://a.example/" + repeat('p', 2000) + " HTTP/1.1\r\nHost: a.example\r\n"
        + "Cookie: " + repeat('c', 8000) + "\r\n\r\n";
    byte[] b = bytes(raw);
    ParseOutcome<RequestHead> o = new RequestHeadParser(HeadLimits.DEFAULT).parse(b, b.length);
    ParseOutcome.Parsed<RequestHead> p = assertInstanceOf(ParseOutcome.Parsed.class, o, () -> "got " + o);
    assertEquals(b.length, p.consumed());
    assertEquals(repeat('c', 8000), p.head().fields().get("cookie"));
  }
}
