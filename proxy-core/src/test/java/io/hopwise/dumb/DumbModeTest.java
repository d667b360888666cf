package io.hopwise.dumb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hopwise.ProxyOptions;
import io.hopwise.ProxyOptionsBuilder;
import io.hopwise.ProxyOptions.Mode;
import io.hopwise.http.Origin;
import io.hopwise.testing.ProxyHarness;
import io.hopwise.testing.RawClient;
import io.hopwise.testing.RecordingOrigin;
import io.hopwise.testing.RecordingOrigin.Recorded;
import io.hopwise.testing.RecordingOrigin.Reply;
import java.net.SocketTimeoutException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The dumb proxy, and why the rules exist: the keep-alive hang and Proxy-Connection. */
class DumbModeTest {
  /** An HTTP/1.0 origin that honours keep-alive and keeps the connection open. */
  private static final Reply KEEP_ALIVE_10 =
      Reply.raw("HTTP/1.0 200 OK\r\nConnection: Keep-Alive\r\nContent-Length: 2\r\n\r\nhi");

  @RegisterExtension
  final RecordingOrigin origin = RecordingOrigin.perTest();

  private static ProxyOptionsBuilder dumb() {
    return ProxyOptions.builder().setMode(Mode.DUMB).setEventLoops(1);
  }

  private static ProxyOptionsBuilder smart() {
    return ProxyOptions.builder().setEventLoops(1);
  }

  private String http10KeepAlive(String path) {
    return "GET " + origin.url(path) + " HTTP/1.0\r\nConnection: Keep-Alive\r\nUser-Agent: old/1.0\r\n\r\n";
  }

  @Test
  void relaysTheRequestBytesUnchangedOnANewConnectionEach() throws Exception {
    String raw = "GET " + origin.url("/x") + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: Keep-Alive, X-Hop\r\n"
        + "X-Hop: 1\r\nProxy-Connection: keep-alive\r\nKeep-Alive: 300\r\n\r\n";
    try (ProxyHarness proxy = new ProxyHarness(dumb())) {
      for (int i = 0; i < 3; i++) {
        try (RawClient c = proxy.client()) {
          c.send(raw);
          origin.setDefaultReply(Reply.ok("ok").thenClose());
          RawClient.Response r = c.readResponse();
          assertEquals("ok", r.bodyText());
          assertNull(r.field("Via"), "a dumb proxy adds nothing");
        }
        assertEquals(raw, origin.takeRequest().head(), "byte for byte, hop-by-hop fields included");
      }
    }
    assertEquals(3, origin.connectionCount(), "no pool: one upstream connection per client connection");
  }

  @Test
  void requestBodyIsRelayed() throws Exception {
    origin.setDefaultReply(Reply.ok("done").thenClose());
    try (ProxyHarness proxy = new ProxyHarness(dumb()); RawClient c = proxy.client()) {
      c.send("POST " + origin.url("/p") + " HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
          + "5\r\nhello\r\n0\r\n\r\n");
      assertEquals("done", c.readResponse().bodyText());
    }
    assertEquals("5\r\nhello\r\n0\r\n\r\n", origin.takeRequest().bodyText());
  }

  @Test
  void keepAliveHangThroughTheDumbProxy() throws Exception {
    origin.setDefaultReply(KEEP_ALIVE_10);
    try (ProxyHarness proxy = new ProxyHarness(dumb()); RawClient c = proxy.client()) {
      c.send(http10KeepAlive("/page"));
      RawClient.Response first = c.readResponse();
      assertEquals("hi", first.bodyText());
      // The origin's Connection: Keep-Alive came through blindly, so the client reuses the connection.
      assertEquals("Keep-Alive", first.field("Connection"));
      c.send(http10KeepAlive("/image"));
      c.socket().setSoTimeout(2000);
      // The dumb proxy expects no second request and waits for the origin to close: the hang.
      assertThrows(SocketTimeoutException.class, () -> c.input().read());
    }
    assertEquals("GET " + origin.url("/page") + " HTTP/1.0", origin.takeRequest().requestLine());
    assertNull(origin.pollRequest(200), "the second request never reached the origin");
  }

  @Test
  void smartProxyAvoidsTheHangByClosing() throws Exception {
    origin.setDefaultReply(KEEP_ALIVE_10);
    try (ProxyHarness proxy = new ProxyHarness(smart())) {
      try (RawClient c = proxy.client()) {
        c.send(http10KeepAlive("/page"));
        RawClient.Response r = c.readResponse();
        assertEquals("hi", r.bodyText());
        assertEquals("close", r.field("Connection"), "we tell the HTTP/1.0 client we close");
        assertTrue(c.closedByPeer(2000));
      }
      try (RawClient c = proxy.client()) {
        c.send(http10KeepAlive("/image"));
        assertEquals("hi", c.readResponse().bodyText());
      }
    }
    assertFalse(origin.takeRequest().head().contains("Keep-Alive"));
    assertEquals("GET /image HTTP/1.1", origin.takeRequest().requestLine());
  }

  @Test
  void proxyConnectionThroughASmartDumbSmartChain() throws Exception {
    try (ProxyHarness smart2 = new ProxyHarness(smart().setPseudonym("smart2")
            .setDefaultUpstream(Origin.parse("http://127.0.0.1:" + origin.port())));
        ProxyHarness dumb = new ProxyHarness(dumb()
            .setDefaultUpstream(Origin.parse("http://127.0.0.1:" + smart2.port())));
        ProxyHarness smart1 = new ProxyHarness(smart().setPseudonym("smart1")
            .setDefaultUpstream(Origin.parse("http://127.0.0.1:" + dumb.port())))) {
      // Through the whole chain: the smart hops drop Proxy-Connection; the dumb one adds nothing.
      try (RawClient c = smart1.client()) {
        c.send("GET /chain HTTP/1.1\r\nHost: app\r\nProxy-Connection: keep-alive\r\nConnection: X-Trace\r\nX-Trace: 1\r\n\r\n");
        RawClient.Response r = c.readResponse();
        assertEquals(200, r.status());
      }
      Recorded atOrigin = origin.takeRequest();
      assertEquals(List.of("Host: app", "Via: 1.1 smart1", "Via: 1.1 smart2"), atOrigin.fieldLines());

      // Straight into the dumb hop: it forwards Proxy-Connection blindly; smart2 still drops it.
      try (RawClient c = dumb.client()) {
        c.send("GET /direct HTTP/1.1\r\nHost: app\r\nProxy-Connection: keep-alive\r\n\r\n");
        assertEquals(200, c.readResponse().status());
      }
      assertEquals(List.of("Host: app", "Via: 1.1 smart2"), origin.takeRequest().fieldLines());
    }
  }

  @Test
  void dumbModeForwardsProxyConnectionToWhateverIsNext() throws Exception {
    origin.setDefaultReply(Reply.ok("ok").thenClose());
    try (ProxyHarness dumb = new ProxyHarness(dumb()); RawClient c = dumb.client()) {
      c.send("GET " + origin.url("/") + " HTTP/1.1\r\nHost: a\r\nProxy-Connection: keep-alive\r\n\r\n");
      c.readResponse();
    }
    assertTrue(origin.takeRequest().fieldLines().contains("Proxy-Connection: keep-alive"));
  }

  @Test
  void evenTheDumbProxyRefusesToConnectToItself() throws Exception {
    try (ProxyHarness dumb = new ProxyHarness(dumb()); RawClient c = dumb.client()) {
      c.send("GET http://localhost:" + dumb.port() + "/ HTTP/1.1\r\nHost: a\r\n\r\n");
      assertEquals(508, c.readResponse().status());
    }
  }

  @Test
  void unreachableOriginIs502() throws Exception {
    int closedPort;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      closedPort = s.getLocalPort();
    }
    try (ProxyHarness dumb = new ProxyHarness(dumb()); RawClient c = dumb.client()) {
      c.send("GET http://127.0.0.1:" + closedPort + "/ HTTP/1.1\r\nHost: a\r\n\r\n");
      assertEquals(502, c.readResponse().status());
    }
  }
}
