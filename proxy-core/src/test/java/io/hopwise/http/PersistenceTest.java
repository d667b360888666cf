package io.hopwise.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Whether each hop persists after a message, decided per hop (RFC 9112 9.3, 6.1; http-rules A3, A6). */
class PersistenceTest {
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
    assertEquals(expected, Persistence.upstreamKeepsAlive(((ParseOutcome.Parsed<ResponseHead>) parsed).head()));
  }

  static Stream<Arguments> requests() {
    return Stream.of(
        Arguments.of("HTTP/1.1 plain", HttpVersion.HTTP_1_1, HttpFields.EMPTY, false, true),
        Arguments.of("HTTP/1.1 Connection: close", HttpVersion.HTTP_1_1, HttpFields.of("Connection", "close"), false, false),
        Arguments.of("HTTP/1.1 close among other tokens, any case", HttpVersion.HTTP_1_1,
            HttpFields.of("Connection", "x-a, CLOSE"), false, false),
        Arguments.of("HTTP/1.1 Proxy-Connection: close (A3)", HttpVersion.HTTP_1_1,
            HttpFields.of("Proxy-Connection", "close"), true, false),
        Arguments.of("HTTP/1.0 plain", HttpVersion.HTTP_1_0, HttpFields.EMPTY, true, false),
        Arguments.of("HTTP/1.0 keep-alive, honoured", HttpVersion.HTTP_1_0, HttpFields.of("Connection", "keep-alive"), true, true),
        Arguments.of("HTTP/1.0 keep-alive, not honoured (a dumb proxy may have passed it on)", HttpVersion.HTTP_1_0,
            HttpFields.of("Connection", "keep-alive"), false, false),
        Arguments.of("HTTP/1.0 Proxy-Connection: keep-alive, honoured (A3)", HttpVersion.HTTP_1_0,
            HttpFields.of("Proxy-Connection", "keep-alive"), true, true),
        Arguments.of("HTTP/1.0 keep-alive and close: close wins", HttpVersion.HTTP_1_0,
            HttpFields.of("Connection", "keep-alive", "Proxy-Connection", "close"), true, false));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("requests")
  void clientHopPersists(String name, HttpVersion version, HttpFields fields, boolean honorHttp10KeepAlive, boolean expected) {
    assertEquals(expected, Persistence.clientPersistent(version, fields, honorHttp10KeepAlive));
  }

  static Stream<Arguments> responsesToClients() {
    return Stream.of(
        Arguments.of("a length stays a length", BodyFraming.length(5), HttpVersion.HTTP_1_0, BodyFraming.length(5)),
        Arguments.of("no body stays none", BodyFraming.NONE, HttpVersion.HTTP_1_1, BodyFraming.NONE),
        Arguments.of("chunked to HTTP/1.1 stays chunked", BodyFraming.CHUNKED, HttpVersion.HTTP_1_1, BodyFraming.CHUNKED),
        Arguments.of("close-delimited to HTTP/1.1 becomes chunked (the connection can persist)", BodyFraming.UNTIL_CLOSE,
            HttpVersion.HTTP_1_1, BodyFraming.CHUNKED),
        Arguments.of("chunked to HTTP/1.0 ends with the close (no chunked coding in 1.0)", BodyFraming.CHUNKED,
            HttpVersion.HTTP_1_0, BodyFraming.UNTIL_CLOSE));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("responsesToClients")
  void responseBodiesAreReframedForTheClient(String name, BodyFraming upstream, HttpVersion client, BodyFraming expected) {
    assertEquals(expected, upstream.toClient(client));
  }

  static Stream<Arguments> closes() {
    return Stream.of(
        Arguments.of("persistent, framed, nothing pending: stays open", true, BodyFraming.CHUNKED, false, false, false),
        Arguments.of("not persistent", false, BodyFraming.CHUNKED, false, false, true),
        Arguments.of("the body ends only with the close", true, BodyFraming.UNTIL_CLOSE, false, false, true),
        Arguments.of("request body not read to its end", true, BodyFraming.length(3), true, false, true),
        Arguments.of("the proxy is draining", true, BodyFraming.NONE, false, true, true));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("closes")
  void whenTheClientConnectionClosesAfterAResponse(String name, boolean persistent, BodyFraming toClient,
      boolean bodyUnread, boolean draining, boolean expected) {
    assertEquals(expected, Persistence.clientClosesAfter(persistent, toClient, bodyUnread, draining));
  }
}
