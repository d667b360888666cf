package io.hopwise.forward;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hopwise.ProxyOptions;
import io.hopwise.testing.ProxyHarness;
import io.hopwise.testing.RawClient;
import io.hopwise.testing.RecordingOrigin;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Malformed requests over a real socket: the right status, a closed connection, nothing upstream. */
class RejectionsTest {
  private static RecordingOrigin origin;
  private static ProxyHarness proxy;

  @BeforeAll
  static void start() throws Exception {
    origin = new RecordingOrigin();
    proxy = new ProxyHarness(ProxyOptions.builder().setEventLoops(1));
  }

  @AfterAll
  static void stop() throws Exception {
    proxy.close();
    origin.close();
  }

  static Stream<Arguments> cases() {
    String u = "http://127.0.0.1:%d/";
    return Stream.of(
        Arguments.of("CL and TE", 400, "POST " + u + " HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"),
        Arguments.of("differing CL", 400, "POST " + u + " HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello"),
        Arguments.of("xchunked", 400, "POST " + u + " HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: xchunked\r\n\r\n0\r\n\r\n"),
        Arguments.of("gzip, chunked", 501, "POST " + u + " HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n"),
        Arguments.of("TE on 1.0", 400, "POST " + u + " HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"),
        Arguments.of("obs-fold", 400, "GET " + u + " HTTP/1.1\r\nHost: x\r\nX-A: 1\r\n  2\r\n\r\n"),
        Arguments.of("space before colon", 400, "GET " + u + " HTTP/1.1\r\nHost : x\r\n\r\n"),
        Arguments.of("bare LF", 400, "GET " + u + " HTTP/1.1\nHost: x\n\n"),
        Arguments.of("no Host", 400, "GET " + u + " HTTP/1.1\r\n\r\n"),
        Arguments.of("two Host", 400, "GET " + u + " HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n"),
        Arguments.of("Connection names Host", 400, "GET " + u + " HTTP/1.1\r\nHost: x\r\nConnection: Host\r\n\r\n"),
        Arguments.of("Connection names Via", 400, "GET " + u + " HTTP/1.1\r\nHost: x\r\nConnection: via\r\n\r\n"),
        Arguments.of("bad chunk size", 400, "POST " + u + " HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n"),
        Arguments.of("origin-form without default upstream", 400, "GET / HTTP/1.1\r\nHost: x\r\n\r\n"),
        Arguments.of("Via names us (loop)", 508, "GET " + u + " HTTP/1.1\r\nHost: x\r\nVia: 1.1 hopwise\r\n\r\n"),
        Arguments.of("ftp scheme", 501, "GET ftp://127.0.0.1/ HTTP/1.1\r\nHost: x\r\n\r\n"),
        Arguments.of("HTTP/2.0", 505, "GET " + u + " HTTP/2.0\r\nHost: x\r\n\r\n"),
        Arguments.of("long request line", 414, "GET " + u + "?" + "a".repeat(9000) + " HTTP/1.1\r\nHost: x\r\n\r\n"),
        Arguments.of("large header section", 431, "GET " + u + " HTTP/1.1\r\nHost: x\r\nX-Big: " + "b".repeat(17000) + "\r\n\r\n"));
  }

  @org.junit.jupiter.api.Test
  void targetIsTheProxyItself() throws Exception {
    try (RawClient c = proxy.client()) {
      c.send("GET http://127.0.0.1:" + proxy.port() + "/ HTTP/1.1\r\nHost: x\r\n\r\n");
      RawClient.Response r = c.readResponse();
      assertEquals(508, r.status());
      assertTrue(r.bodyText().contains("is this proxy"), r.bodyText());
    }
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @MethodSource("cases")
  void refusedWithStatusAndNothingForwarded(String name, int status, String raw) throws Exception {
    int before = origin.requestCount();
    try (RawClient c = proxy.client()) {
      c.send(String.format(raw, origin.port()));
      RawClient.Response r = c.readResponse();
      assertEquals(status, r.status(), r.bodyText());
      assertEquals("close", r.field("Connection"));
      assertTrue(r.bodyText().startsWith("hopwise: "), r.bodyText());
      assertTrue(c.closedByPeer(3000), "connection should be closed after a rejection");
    }
    assertNull(origin.pollRequest(100), "origin must receive nothing");
    assertEquals(before, origin.requestCount());
  }

  /**
   * A client that sends its request and its FIN together (nc -N, simple HTTP/1.0 clients) still
   * reads the refusal: on epoll the FIN arrives in the same event as the bytes, and the close it
   * triggers must not drop a response whose flush was deferred to the end of the turn.
   */
  @ParameterizedTest(name = "{0} -> {1}")
  @MethodSource("cases")
  void refusalReachesAClientThatHalfClosedRightAfterSending(String name, int status, String raw) throws Exception {
    try (RawClient c = proxy.client()) {
      c.send(String.format(raw, origin.port()));
      c.socket().shutdownOutput();
      RawClient.Response r = c.readResponse();
      assertEquals(status, r.status(), r.bodyText());
      assertTrue(c.closedByPeer(3000));
    }
  }
}
