package io.hopwise.forward;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hopwise.ProxyOptions;
import io.hopwise.testing.ProxyHarness;
import io.hopwise.testing.RawClient;
import io.hopwise.testing.RecordingOrigin;
import io.hopwise.testing.RecordingOrigin.Reply;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Upstream failures map to 502/504, and a broken body never looks complete. */
class FailuresTest {
  @RegisterExtension
  final RecordingOrigin origin = RecordingOrigin.perTest();
  private ProxyHarness proxy;

  @BeforeEach
  void start() throws Exception {
    proxy = new ProxyHarness(ProxyOptions.builder().setEventLoops(1)
        .setResponseTimeout(Duration.ofMillis(500)));
  }

  @AfterEach
  void stop() throws Exception {
    proxy.close();
  }

  @Test
  void refusedConnectionIs502WithPlainTextReason() throws Exception {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = s.getLocalPort();
    }
    try (RawClient c = proxy.client()) {
      c.send("GET http://127.0.0.1:" + closedPort + "/ HTTP/1.1\r\nHost: x\r\n\r\n");
      RawClient.Response r = c.readResponse();
      assertEquals(502, r.status());
      assertTrue(r.bodyText().contains("connection refused"), r.bodyText());
      assertEquals("text/plain; charset=utf-8", r.field("Content-Type"));
      assertTrue(c.closedByPeer(3000));
    }
  }

  @Test
  void unresolvableHostIs502() throws Exception {
    try (RawClient c = proxy.client()) {
      c.send("GET http://no-such-host.invalid/ HTTP/1.1\r\nHost: x\r\n\r\n");
      RawClient.Response r = c.readResponse();
      assertEquals(502, r.status());
    }
  }

  @Test
  void silentUpstreamIs504() throws Exception {
    origin.enqueue(Reply.silence());
    try (RawClient c = proxy.client()) {
      c.send("GET " + origin.url("/slow") + " HTTP/1.1\r\nHost: x\r\n\r\n");
      RawClient.Response r = c.readResponse();
      assertEquals(504, r.status());
    }
  }

  @Test
  void upstreamClosingBeforeRespondingIs502() throws Exception {
    origin.enqueue(new Reply(new byte[0], true, 0, false));
    try (RawClient c = proxy.client()) {
      c.send("GET " + origin.url("/") + " HTTP/1.1\r\nHost: x\r\n\r\n");
      assertEquals(502, c.readResponse().status());
    }
  }

  @Test
  void bodyEndingEarlyAbortsTheClientConnection() throws Exception {
    origin.enqueue(Reply.raw("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly part").thenClose());
    try (RawClient c = proxy.client()) {
      c.send("GET " + origin.url("/") + " HTTP/1.1\r\nHost: x\r\n\r\n");
      IOException e = assertThrows(IOException.class, c::readResponse);
      assertTrue(e.getMessage().contains("body ended early") || e.getMessage().contains("reset"), e.getMessage());
    }
  }

  @Test
  void chunkedBodyEndingEarlyAbortsTheClientConnection() throws Exception {
    origin.enqueue(Reply.raw("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n").thenClose());
    try (RawClient c = proxy.client()) {
      c.send("GET " + origin.url("/") + " HTTP/1.1\r\nHost: x\r\n\r\n");
      assertThrows(IOException.class, c::readResponse);
    }
  }

  @org.junit.jupiter.params.ParameterizedTest(name = "{0}")
  @org.junit.jupiter.params.provider.ValueSource(strings = {
      "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
      "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\nabc",
      "HTTP/1.1 200 OK\r\nContent-Length : 2\r\n\r\nok",
      "HTTP/1.1 200 OK\r\nX-A: 1\r\n folded\r\nContent-Length: 2\r\n\r\nok",
      "HTTP/1.1 200 OK\nContent-Length: 2\n\nok",
      "HTTP/1.1 2OO OK\r\nContent-Length: 2\r\n\r\nok"})
  void malformedUpstreamResponsesAre502AndTheConnectionIsNotReused(String response) throws Exception {
    origin.enqueue(Reply.raw(response));
    try (RawClient c = proxy.client()) {
      c.send("GET " + origin.url("/") + " HTTP/1.1\r\nHost: x\r\n\r\n");
      assertEquals(502, c.readResponse().status());
    }
    try (RawClient c = proxy.client()) {
      c.send("GET " + origin.url("/") + " HTTP/1.1\r\nHost: x\r\n\r\n");
      assertEquals(200, c.readResponse().status());
    }
    assertEquals(2, origin.connectionCount(), "the connection that sent a bad response is never reused");
  }

  @Test
  void malformedUpstreamResponseIs502AndConnectionNotReused() throws Exception {
    origin.enqueue(Reply.raw("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"));
    try (RawClient c = proxy.client()) {
      c.send("GET " + origin.url("/") + " HTTP/1.1\r\nHost: x\r\n\r\n");
      assertEquals(502, c.readResponse().status());
    }
    try (RawClient c = proxy.client()) {
      c.send("GET " + origin.url("/") + " HTTP/1.1\r\nHost: x\r\n\r\n");
      assertEquals(200, c.readResponse().status());
    }
    assertEquals(2, origin.connectionCount());
  }
}
