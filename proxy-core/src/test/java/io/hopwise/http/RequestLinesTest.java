package io.hopwise.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link RequestLines#quickScan}: which request lines it answers for (plain ones), and what it
 * answers. Every other line must get -1, so the parser's full checks decide it. The fuzz test
 * compares whole outcomes with and without the quick paths.
 */
class RequestLinesTest {
  private static final int LIMIT = 40;

  static Stream<Arguments> cases() {
    return Stream.of(
        // line, expected first space (-1: no answer)
        Arguments.of("GET / HTTP/1.1\r\n", 3),
        Arguments.of("GET http://a.example/x?y=1 HTTP/1.1\r\nHost: a\r\n\r\n", 3),
        Arguments.of("OPTIONS * HTTP/1.0\r\n", 7),
        Arguments.of("M / V\r\n", 1),
        Arguments.of("GET /" + "a".repeat(LIMIT - 14) + " HTTP/1.1\r\n", 3), // exactly the limit
        Arguments.of("GET /" + "a".repeat(LIMIT - 13) + " HTTP/1.1\r\n", -1), // one byte over
        Arguments.of("GET / HTTP/1.1\r", -1), // LF not here yet
        Arguments.of("GET / HTTP/1.1", -1),
        Arguments.of("GET / HTTP/1.1\n", -1), // bare LF
        Arguments.of("GET / HTTP/1.1\rX", -1), // bare CR
        Arguments.of(" / HTTP/1.1\r\n", -1), // empty method
        Arguments.of("GET  HTTP/1.1\r\n", -1), // empty target
        Arguments.of("GET / HTTP/1.1 \r\n", -1), // a third space
        Arguments.of("GET /\tx HTTP/1.1\r\n", -1),
        Arguments.of("GET /\u007fx HTTP/1.1\r\n", -1),
        Arguments.of("GET /\u00e9 HTTP/1.1\r\n", -1), // above DEL in the target
        Arguments.of("G\u00c9T / HTTP/1.1\r\n", -1), // in the method
        Arguments.of("GET / HTTP/1.\u00b9\r\n", -1), // in the version
        Arguments.of("GET /x HTTP/1.1\u0000\r\n", -1),
        Arguments.of("GET /abcdefgh\u0001ijklmnop HTTP/1.1\r\n", -1), // a control inside a word
        Arguments.of("GET / HTTP/1.1\r\n", 3));
  }

  @ParameterizedTest
  @MethodSource("cases")
  void answersOnlyForPlainLinesWithinTheLimit(String line, int firstSpace) {
    byte[] b = line.getBytes(StandardCharsets.ISO_8859_1);
    long scan = RequestLines.quickScan(b, 0, b.length, LIMIT);
    if (firstSpace < 0) {
      assertEquals(-1, scan, "no answer for " + line.replace("\r", "\\r").replace("\n", "\\n"));
      return;
    }
    assertEquals(firstSpace, RequestLines.firstSpace(scan));
    assertEquals(line.indexOf("\r\n") + 2, RequestLines.lineEnd(scan));
    assertEquals(line.lastIndexOf(' ', line.indexOf('\r')), RequestLines.lastSpace(b, line.indexOf('\r')));
  }

  @ParameterizedTest
  @MethodSource("cases")
  void startsWhereTheLineStarts(String line, int firstSpace) {
    byte[] b = ("\r\n\r\n" + line).getBytes(StandardCharsets.ISO_8859_1);
    long scan = RequestLines.quickScan(b, 4, b.length, LIMIT);
    assertEquals(firstSpace < 0 ? -1 : firstSpace + 4, firstSpace < 0 ? scan : RequestLines.firstSpace(scan));
  }
}
