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

  /**
   * Regression (issue 27, found by e2e/parents.sh when a parent was killed mid-run): a new
   * upstream connection reset before any byte of the response (a server that accepted it and died)
   * was a 502, where an idempotent request may be sent again. Now it is retried once, on a new
   * connection; a second reset is the client's 502.
   */
  @org.junit.jupiter.api.Test
  void anIdempotentRequestWhoseNewConnectionIsResetBeforeAnyAnswerIsRetriedOnce() throws Exception {
    try (java.net.ServerSocket server = new java.net.ServerSocket(0, 4, java.net.InetAddress.getLoopbackAddress())) {
      java.util.concurrent.atomic.AtomicInteger requests = new java.util.concurrent.atomic.AtomicInteger();
      Thread peer = new Thread(() -> {
        for (int i = 0; i < 2; i++) {
          try (java.net.Socket s = server.accept()) {
            io.hopwise.testing.ClosingPeer.readHead(s.getInputStream());
            requests.incrementAndGet();
            if (i == 0) {
              s.setSoLinger(true, 0); // a reset, no answer
            } else {
              s.getOutputStream().write("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nagain".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
              s.getOutputStream().flush();
              s.getInputStream().read();
            }
          } catch (java.io.IOException e) {
            return;
          }
        }
      }, "resetting-peer");
      peer.setDaemon(true);
      peer.start();
      try (io.hopwise.testing.ProxyHarness proxy = new io.hopwise.testing.ProxyHarness(io.hopwise.ProxyOptions.builder().setEventLoops(1));
          io.hopwise.testing.RawClient c = proxy.client()) {
        c.send("GET http://127.0.0.1:" + server.getLocalPort() + "/ HTTP/1.1\r\nHost: x\r\n\r\n");
        io.hopwise.testing.RawClient.Response r = c.readResponse();
        assertEquals(200, r.status(), r.bodyText());
        assertEquals("again", r.bodyText());
      }
      assertEquals(2, requests.get(), "sent once more after the reset");
    }
  }
}
