package io.hopwise.http;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Named.named;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Table tests for {@link Framing} (RFC 9112 6.1-6.3), called directly on field sections. */
class FramingTest {
  private static final HttpFields NO_FIELDS = HttpFields.EMPTY;
  private static final HttpFields CL5 = HttpFields.of("Content-Length", "5");
  private static final HttpFields CHUNKED = HttpFields.of("Transfer-Encoding", "chunked");

  // ---------------------------------------------------------------- responses

  private static Arguments resp(String name, String method, int status, HttpFields fields, BodyFraming expected) {
    return Arguments.of(named(name, method), status, fields, expected);
  }

  static Stream<Arguments> responses() {
    return Stream.of(
        resp("GET 200 Content-Length", "GET", 200, CL5, BodyFraming.length(5)),
        resp("GET 200 chunked", "GET", 200, CHUNKED, BodyFraming.CHUNKED),
        resp("GET 200 neither: until close", "GET", 200, NO_FIELDS, BodyFraming.UNTIL_CLOSE),
        resp("GET 200 Content-Length 0", "GET", 200, HttpFields.of("Content-Length", "0"), BodyFraming.NONE),
        resp("HEAD 200 Content-Length", "HEAD", 200, CL5, BodyFraming.NONE),
        resp("HEAD 200 chunked", "HEAD", 200, CHUNKED, BodyFraming.NONE),
        resp("HEAD 200 neither", "HEAD", 200, NO_FIELDS, BodyFraming.NONE),
        resp("GET 204", "GET", 204, NO_FIELDS, BodyFraming.NONE),
        resp("GET 204 with Content-Length", "GET", 204, CL5, BodyFraming.NONE),
        resp("GET 304 with Content-Length", "GET", 304, CL5, BodyFraming.NONE),
        resp("GET 304 chunked", "GET", 304, CHUNKED, BodyFraming.NONE),
        resp("GET 100", "GET", 100, NO_FIELDS, BodyFraming.NONE),
        resp("GET 101", "GET", 101, NO_FIELDS, BodyFraming.NONE),
        resp("GET 199", "GET", 199, CL5, BodyFraming.NONE),
        resp("POST 201 Content-Length", "POST", 201, CL5, BodyFraming.length(5)),
        resp("GET 205 neither: until close", "GET", 205, NO_FIELDS, BodyFraming.UNTIL_CLOSE),
        resp("GET 404 chunked", "GET", 404, CHUNKED, BodyFraming.CHUNKED),
        resp("GET 500 large Content-Length", "GET", 500, HttpFields.of("Content-Length", "999999999999999999"),
            BodyFraming.length(999_999_999_999_999_999L)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("responses")
  void response(String method, int status, HttpFields fields, BodyFraming expected) throws RejectedException {
    assertEquals(expected, Framing.ofResponse(method, status, fields));
  }

  static Stream<Arguments> badResponses() {
    return Stream.of(
        resp("Content-Length and Transfer-Encoding", "GET", 200,
            HttpFields.of("Content-Length", "5", "Transfer-Encoding", "chunked"), null),
        resp("Content-Length and Transfer-Encoding on HEAD", "HEAD", 200,
            HttpFields.of("Transfer-Encoding", "chunked", "Content-Length", "5"), null),
        resp("duplicate differing Content-Length lines", "GET", 200,
            HttpFields.of("Content-Length", "5", "Content-Length", "6"), null),
        resp("duplicate differing Content-Length list", "GET", 200, HttpFields.of("Content-Length", "6, 5"), null),
        resp("Content-Length with sign", "GET", 200, HttpFields.of("Content-Length", "+5"), null),
        resp("Transfer-Encoding identity", "GET", 200, HttpFields.of("Transfer-Encoding", "identity"), null),
        resp("Transfer-Encoding chunked twice", "GET", 200, HttpFields.of("Transfer-Encoding", "chunked, chunked"), null),
        resp("Transfer-Encoding gzip then chunked", "GET", 200, HttpFields.of("Transfer-Encoding", "gzip, chunked"), null));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badResponses")
  void badResponseIs502(String method, int status, HttpFields fields, BodyFraming unused) {
    RejectedException e = assertThrows(RejectedException.class, () -> Framing.ofResponse(method, status, fields));
    assertEquals(502, e.rejection().status());
  }

  // ---------------------------------------------------------------- requests

  private static Arguments rq(String name, HttpVersion v, HttpFields fields, Object expected) {
    return Arguments.of(named(name, v), fields, expected);
  }

  static Stream<Arguments> requests() {
    return Stream.of(
        rq("no body", HttpVersion.HTTP_1_1, NO_FIELDS, BodyFraming.NONE),
        rq("Content-Length 5", HttpVersion.HTTP_1_1, CL5, BodyFraming.length(5)),
        rq("Content-Length on 1.0", HttpVersion.HTTP_1_0, CL5, BodyFraming.length(5)),
        rq("chunked", HttpVersion.HTTP_1_1, CHUNKED, BodyFraming.CHUNKED),
        rq("chunked with OWS and case", HttpVersion.HTTP_1_1, HttpFields.of("transfer-encoding", " CHUNKED "), BodyFraming.CHUNKED),
        rq("identical lines 7 / 7", HttpVersion.HTTP_1_1, HttpFields.of("Content-Length", "7", "Content-Length", "7"),
            BodyFraming.length(7)),
        rq("identical list 7, 7, 7", HttpVersion.HTTP_1_1, HttpFields.of("Content-Length", "7,7 , 7"), BodyFraming.length(7)),
        rq("CL + TE", HttpVersion.HTTP_1_1, HttpFields.of("Content-Length", "5", "Transfer-Encoding", "chunked"), 400),
        rq("TE on 1.0", HttpVersion.HTTP_1_0, CHUNKED, 400),
        rq("CL + TE on 1.0", HttpVersion.HTTP_1_0, HttpFields.of("Content-Length", "5", "Transfer-Encoding", "chunked"), 400),
        rq("CL '5 5'", HttpVersion.HTTP_1_1, HttpFields.of("Content-Length", "5 5"), 400),
        rq("CL empty", HttpVersion.HTTP_1_1, HttpFields.of("Content-Length", ""), 400),
        rq("CL 19 digits", HttpVersion.HTTP_1_1, HttpFields.of("Content-Length", "1000000000000000000"), 400),
        rq("TE 'chunked, gzip'", HttpVersion.HTTP_1_1, HttpFields.of("Transfer-Encoding", "chunked, gzip"), 400),
        rq("TE 'deflate, chunked'", HttpVersion.HTTP_1_1, HttpFields.of("Transfer-Encoding", "deflate, chunked"), 501),
        rq("TE ',chunked,' (empty elements ignored)", HttpVersion.HTTP_1_1, HttpFields.of("Transfer-Encoding", ",chunked,"),
            BodyFraming.CHUNKED));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("requests")
  void request(HttpVersion v, HttpFields fields, Object expected) throws RejectedException {
    if (expected instanceof Integer status) {
      RejectedException e = assertThrows(RejectedException.class, () -> Framing.ofRequest(v, fields));
      assertEquals(status, e.rejection().status(), e.rejection().reason());
    } else {
      assertEquals(expected, Framing.ofRequest(v, fields));
    }
  }

  // ------------------------------------------------- Content-Length, as given and as received

  /**
   * One Content-Length line of plain digits is read in place; everything else takes the full
   * rules. Both must give the same answer whether the value was given as a string or parsed from
   * received bytes (expected -1: refused).
   */
  @ParameterizedTest(name = "''{0}'' -> {1}")
  @org.junit.jupiter.params.provider.CsvSource(delimiter = '|', value = {
      "0|0", "7|7", "000123|123", "128|128", "999999999999999999|999999999999999999",
      "1000000000000000000|-1", "0000000000000000001|-1", "''|-1", "+5|-1", "-1|-1", "0x5|-1", "5a|-1", "a5|-1",
      "5 5|-1", "'5,5'|5", "'5, 6'|-1", "'9, 9, 9'|9", "':5'|-1", "'/5'|-1"})
  void contentLengthInPlaceAgreesWithTheFullRules(String value, long expected) {
    HttpFields given = HttpFields.of("Content-Length", value);
    byte[] raw = ("HTTP/1.1 200 OK\r\nContent-Length: " + value + "\r\n\r\n")
        .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
    var parsed = new ResponseHeadParser(1024, 10).parse(raw, raw.length, "GET");
    for (HttpFields fields : new HttpFields[] {given,
        parsed instanceof ParseOutcome.Parsed<ResponseHead> p ? p.head().fields() : null}) {
      if (fields == null) {
        assertEquals(-1, expected, "the parser refused " + value + ": " + parsed);
        continue;
      }
      if (expected < 0) {
        assertThrows(RejectedException.class, () -> Framing.contentLength(fields, 400));
      } else {
        assertEquals(expected, assertDoesNotThrow(() -> Framing.contentLength(fields, 400)));
      }
    }
    if (expected >= 0) {
      assertEquals(expected == 0 ? BodyFraming.NONE : BodyFraming.length(expected),
          ((ParseOutcome.Parsed<ResponseHead>) parsed).head().framing());
    }
  }
}
