package io.hopwise.upstream;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.hopwise.http.ParseOutcome;
import io.hopwise.http.ResponseHead;
import io.hopwise.http.ResponseHeadParser;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Whether a response lets its upstream connection go back to the pool (RFC 9112 9.3, 6.1). */
class KeepsAliveTest {
  static Stream<Arguments> heads() {
    return Stream.of(
        Arguments.of("HTTP/1.1 with a length", "HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\n", true),
        Arguments.of("HTTP/1.1 chunked", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n", true),
        Arguments.of("HTTP/1.1 Connection: close", "HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 1\r\n\r\n", false),
        Arguments.of("HTTP/1.1 close-delimited", "HTTP/1.1 200 OK\r\n\r\n", false),
        Arguments.of("HTTP/1.0 without keep-alive", "HTTP/1.0 200 OK\r\nContent-Length: 1\r\n\r\n", false),
        Arguments.of("HTTP/1.0 keep-alive with a length", "HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 1\r\n\r\n", true),
        // Issue 29: RFC 9112 6.1, Transfer-Encoding in an HTTP/1.0 message is faulty framing:
        // process it, then close, whatever Connection says.
        Arguments.of("HTTP/1.0 keep-alive with Transfer-Encoding (issue 29)",
            "HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nTransfer-Encoding: chunked\r\n\r\n", false));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("heads")
  void keepsAliveOnlyWhenBothFramingAndConnectionAllowIt(String name, String head, boolean expected) {
    byte[] b = head.getBytes(StandardCharsets.ISO_8859_1);
    ParseOutcome<ResponseHead> parsed = new ResponseHeadParser(65536, 100).parse(b, b.length, "GET");
    assertEquals(expected, UpstreamConnection.keepsAlive(((ParseOutcome.Parsed<ResponseHead>) parsed).head()));
  }
}
