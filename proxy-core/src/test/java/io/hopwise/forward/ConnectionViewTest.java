package io.hopwise.forward;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hopwise.ConnectionsSnapshot;
import io.hopwise.FirstToClose;
import io.hopwise.ProxyListener;
import io.hopwise.ProxyListener.CloseReason;
import io.hopwise.ProxyOptions;
import io.hopwise.Timed;
import io.hopwise.UpstreamConnectionRecord;
import io.hopwise.io.Transports;
import io.hopwise.testing.ProxyHarness;
import io.hopwise.testing.RawClient;
import io.hopwise.testing.RecordingOrigin;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The connection view's records through a real proxy (issue 24): each exchange's client and
 * upstream legs, new or reused, in smart and dumb mode; why each connection closed and who closed
 * first; and TCP_INFO where the transport can read it (the suite runs on NIO, where it cannot;
 * .ci/run runs this class again on epoll and io_uring).
 */
class ConnectionViewTest {
  @RegisterExtension
  final RecordingOrigin origin = RecordingOrigin.perTest();

  private static ConnectionsSnapshot snapshot(ProxyHarness proxy) throws Exception {
    return proxy.proxy().connections().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  /** Polls the view until {@code ready} holds (records come as connections close): bounded. */
  private static ConnectionsSnapshot awaitSnapshot(ProxyHarness proxy, Predicate<ConnectionsSnapshot> ready) throws Exception {
    ConnectionsSnapshot s = snapshot(proxy);
    for (int i = 0; i < 100 && !ready.test(s); i++) {
      TimeUnit.MILLISECONDS.sleep(20);
      s = snapshot(proxy);
    }
    return s;
  }

  private void requestsOnNewClientConnections(ProxyHarness proxy, int n) throws Exception {
    for (int i = 0; i < n; i++) {
      try (RawClient c = proxy.client()) {
        c.send("GET " + origin.url("/" + i) + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        assertEquals(200, c.readResponse().status());
      }
    }
  }

  @Test
  void smartMode100NewClientConnectionsShareOneUpstreamConnection() throws Exception {
    origin.setDefaultReply(RecordingOrigin.Reply.ok("hi"));
    try (ProxyHarness proxy = new ProxyHarness(ProxyOptions.builder().setEventLoops(1))) {
      requestsOnNewClientConnections(proxy, 100);
      ConnectionsSnapshot s = awaitSnapshot(proxy, x -> x.exchanges().size() >= 100 && x.clientClosed().size() >= 100);
      List<ProxyListener.ExchangeRecord> records = s.exchanges().stream().map(Timed::record).toList();
      assertEquals(100, records.size());
      assertEquals(100, records.stream().filter(r -> r.client().isNew()).count(), "every client leg is new");
      assertEquals(1, records.stream().filter(r -> !r.upstreamLeg().reused()).count(), "one new upstream leg");
      assertEquals(99, records.stream().filter(r -> r.upstreamLeg().reused()).count(), "and 99 reused");
      assertEquals(1, records.stream().map(r -> r.upstreamLeg().connection()).distinct().count());
      ProxyListener.ExchangeRecord first = records.get(0);
      assertTrue(first.upstreamLeg().connectNanos() > 0, "a new connection's connect time");
      assertEquals(-1, first.upstreamLeg().dnsNanos(), "an address needs no DNS");
      assertEquals(-1, first.upstreamLeg().tlsNanos(), "http has no TLS");
      assertTrue(first.upstreamLeg().waitNanos() > 0 && first.upstreamLeg().transferNanos() >= 0);
      assertTrue(records.get(50).upstreamLeg().idleNanos() > 0, "a reused connection had been idle");
      // Connection: close from the client: we close after the response, so the TIME_WAIT is ours.
      var end = s.clientClosed().get(0).record();
      assertEquals(ProxyListener.ClientCloseReason.NOT_PERSISTENT, end.reason());
      assertEquals(FirstToClose.PROXY, end.first());
    }
  }

  @Test
  void dumbMode100RequestsOpen100UpstreamConnections() throws Exception {
    origin.setDefaultReply(RecordingOrigin.Reply.ok("hi").thenClose());
    try (ProxyHarness proxy = new ProxyHarness(ProxyOptions.builder().setEventLoops(1).setMode(ProxyOptions.Mode.DUMB))) {
      requestsOnNewClientConnections(proxy, 100);
      ConnectionsSnapshot s = awaitSnapshot(proxy, x -> x.exchanges().size() >= 100 && x.upstreamClosed().size() >= 100);
      List<ProxyListener.ExchangeRecord> records = s.exchanges().stream().map(Timed::record).toList();
      assertEquals(100, records.size());
      assertEquals(100, records.stream().filter(r -> r.client().isNew()).count());
      assertEquals(100, records.stream().filter(r -> !r.upstreamLeg().reused()).count(), "a dumb proxy never reuses");
      assertEquals(100, records.stream().map(r -> r.upstreamLeg().connection()).distinct().count());
      assertEquals(200, records.get(0).status(), "the status read from the relayed bytes");
      UpstreamConnectionRecord up = s.upstreamClosed().get(0).record();
      assertEquals(CloseReason.PEER_CLOSED, up.reason(), "its end is the origin's close");
      assertEquals(FirstToClose.PEER, up.first());
    }
  }

  @Test
  void anOriginsConnectionCloseIsTheUpstreamLegsReason() throws Exception {
    origin.setDefaultReply(RecordingOrigin.Reply.raw("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nhi"));
    try (ProxyHarness proxy = new ProxyHarness(ProxyOptions.builder().setEventLoops(1)); RawClient c = proxy.client()) {
      c.send("GET " + origin.url("/") + " HTTP/1.1\r\nHost: x\r\n\r\n");
      assertEquals(200, c.readResponse().status());
      ConnectionsSnapshot s = awaitSnapshot(proxy, x -> !x.upstreamClosed().isEmpty());
      UpstreamConnectionRecord up = s.upstreamClosed().get(0).record();
      assertEquals(CloseReason.NOT_REUSABLE, up.reason());
      assertEquals("Connection: close", up.detail());
      assertEquals(1, up.exchanges());
      assertEquals(up.id(), s.exchanges().get(0).record().upstreamLeg().connection(), "the exchange names the connection");
    }
  }

  @Test
  void anIdleUpstreamConnectionClosesByItsIdleTimeoutAndTheTimeWaitIsOurs() throws Exception {
    origin.setDefaultReply(RecordingOrigin.Reply.ok("hi"));
    try (ProxyHarness proxy = new ProxyHarness(ProxyOptions.builder().setEventLoops(1)
        .setPoolIdleTimeout(Duration.ofMillis(200))); RawClient c = proxy.client()) {
      c.send("GET " + origin.url("/") + " HTTP/1.1\r\nHost: x\r\n\r\n");
      assertEquals(200, c.readResponse().status());
      ConnectionsSnapshot s = awaitSnapshot(proxy, x -> !x.upstreamClosed().isEmpty());
      UpstreamConnectionRecord up = s.upstreamClosed().get(0).record();
      assertEquals(CloseReason.IDLE_TIMEOUT, up.reason());
      assertEquals(FirstToClose.PROXY, up.first());
    }
  }

  @Test
  void whileTheViewIsWatchedExchangesTakeTcpInfoAtTheirFirstAndLastByte() throws Exception {
    origin.setDefaultReply(RecordingOrigin.Reply.ok("hi"));
    try (ProxyHarness proxy = new ProxyHarness(ProxyOptions.builder().setEventLoops(1)); RawClient c = proxy.client()) {
      c.send("GET " + origin.url("/before") + " HTTP/1.1\r\nHost: x\r\n\r\n");
      assertEquals(200, c.readResponse().status());
      ConnectionsSnapshot unwatched = awaitSnapshot(proxy, x -> !x.exchanges().isEmpty());
      assertNull(unwatched.exchanges().get(0).record().upstreamLeg().atFirstByte(), "nobody was watching");
      c.send("GET " + origin.url("/after") + " HTTP/1.1\r\nHost: x\r\n\r\n"); // the view was read just now
      assertEquals(200, c.readResponse().status());
      ConnectionsSnapshot s = awaitSnapshot(proxy, x -> x.exchanges().size() >= 2);
      ProxyListener.ExchangeRecord r = s.exchanges().get(1).record();
      if (s.tcpInfoAvailable()) {
        assertNotNull(r.upstreamLeg().atFirstByte());
        assertNotNull(r.upstreamLeg().atLastByte());
        assertNotNull(r.client().atLastByte());
        assertTrue(r.upstreamLeg().atLastByte().sndCwnd() > 0);
      } else {
        assertNull(r.upstreamLeg().atFirstByte(), "NIO: absent, not zeros");
      }
    }
  }

  @Test
  void aTunnelWhoseOriginClosesFirstSaysSoAndNamesItsLegs() throws Exception {
    origin.setDefaultReply(RecordingOrigin.Reply.ok("hi").thenClose());
    String authority = "127.0.0.1:" + origin.port();
    try (ProxyHarness proxy = new ProxyHarness(ProxyOptions.builder().setEventLoops(1)
        .setConnectPorts(List.of(origin.port()))); RawClient c = proxy.client()) {
      c.send("CONNECT " + authority + " HTTP/1.1\r\nHost: " + authority + "\r\n\r\n");
      assertEquals("HTTP/1.1 200 Connection established", c.readHead().lines().findFirst().orElse(""));
      c.send("GET / HTTP/1.1\r\nHost: " + authority + "\r\n\r\n");
      assertEquals(200, c.readResponse().status());
      assertTrue(c.closedByPeer(5000), "the origin's close is passed on (a half-close)");
      c.close(); // the client's end closes the tunnel's other half
      ConnectionsSnapshot s = awaitSnapshot(proxy, x -> !x.tunnels().isEmpty() && !x.upstreamClosed().isEmpty());
      ProxyListener.TunnelRecord t = s.tunnels().get(0).record();
      assertTrue(t.client().isNew());
      assertTrue(t.upstreamLeg().connectNanos() > 0);
      UpstreamConnectionRecord up = s.upstreamClosed().get(0).record();
      assertEquals(t.upstreamLeg().connection(), up.id());
      assertEquals(CloseReason.PEER_CLOSED, up.reason());
      assertEquals(FirstToClose.PEER, up.first(), "the origin closed first: the TIME_WAIT is the origin's");
    }
  }

  @Test
  void aWebSocketJoinsUpstreamConnectionHasItsCloseRecordToo() throws Exception {
    // RFC 6455 1.3's example key and the accept value that answers it; the origin closes at once.
    origin.setDefaultReply(RecordingOrigin.Reply.raw("HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\n"
        + "Upgrade: websocket\r\nSec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n\r\n").thenClose());
    try (ProxyHarness proxy = new ProxyHarness(ProxyOptions.builder().setEventLoops(1).setAllowWebSocket(true));
        RawClient c = proxy.client()) {
      c.send("GET " + origin.url("/chat") + " HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n"
          + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n");
      assertTrue(c.readHead().startsWith("HTTP/1.1 101"));
      assertTrue(c.closedByPeer(5000), "the origin's close is passed on");
      c.close();
      ConnectionsSnapshot s = awaitSnapshot(proxy, x -> !x.exchanges().isEmpty() && !x.upstreamClosed().isEmpty());
      ProxyListener.ExchangeRecord join = s.exchanges().get(0).record();
      assertEquals(101, join.status());
      UpstreamConnectionRecord up = s.upstreamClosed().get(0).record();
      assertEquals(join.upstreamLeg().connection(), up.id());
      assertEquals("WebSocket: the origin ended first", up.detail());
      assertEquals(FirstToClose.PEER, up.first());
    }
  }

  @Test
  void tcpInfoWhereTheTransportHasItAndNothingWhereNot() throws Exception {
    origin.setDefaultReply(RecordingOrigin.Reply.ok("hi"));
    try (ProxyHarness proxy = new ProxyHarness(ProxyOptions.builder().setEventLoops(1)); RawClient c = proxy.client()) {
      c.send("GET " + origin.url("/") + " HTTP/1.1\r\nHost: x\r\n\r\n");
      assertEquals(200, c.readResponse().status());
      ConnectionsSnapshot s = awaitSnapshot(proxy, x -> !x.exchanges().isEmpty());
      var atConnect = s.exchanges().get(0).record().upstreamLeg().atConnect();
      String transport = Transports.nameOf(proxy.vertx());
      assertEquals(transport, s.transport());
      if (transport.equals("nio")) {
        assertNull(atConnect, "NIO cannot read TCP_INFO: absent, not zeros");
        assertTrue(!s.tcpInfoAvailable());
      } else {
        assertNotNull(atConnect, transport + " reads TCP_INFO");
        assertTrue(atConnect.rttMicros() > 0, "rtt " + atConnect.rttMicros());
        assertTrue(atConnect.sndCwnd() > 0, "cwnd " + atConnect.sndCwnd());
        assertTrue(atConnect.pacingRate() > 0, "the pacing rate, which Netty's tcpInfo() does not read: " + atConnect);
      }
      assertTrue(s.open().stream().anyMatch(o -> o.leg().equals("client") && o.state().equals("idle")),
          "the kept-alive client connection is open and idle: " + s.open());
      assertTrue(s.open().stream().anyMatch(o -> o.leg().equals("upstream") && o.state().equals("idle")),
          "and so is its upstream connection: " + s.open());
      for (var o : s.open()) {
        if (transport.equals("nio")) {
          assertNull(o.tcp());
        } else {
          assertTrue(o.tcp().bytesAcked() > 0 && o.tcp().bytesReceived() > 0, "the kernel's byte counts: " + o);
        }
      }
    }
  }
}
