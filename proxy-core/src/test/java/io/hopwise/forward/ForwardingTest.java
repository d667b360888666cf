package io.hopwise.forward;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hopwise.ProxyOptions;
import io.hopwise.testing.ProxyHarness;
import io.hopwise.testing.RawClient;
import io.hopwise.testing.RecordingOrigin;
import io.hopwise.testing.RecordingOrigin.Recorded;
import io.hopwise.testing.RecordingOrigin.Reply;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** End-to-end over real sockets: what the origin receives, byte for byte. */
class ForwardingTest {
  @RegisterExtension
  final RecordingOrigin origin = RecordingOrigin.perTest();
  @RegisterExtension
  final ProxyHarness proxy = ProxyHarness.perTest(ProxyOptions.builder().setEventLoops(1));

  @Test
  void absoluteFormGoesUpstreamAsOriginFormWithHopByHopFieldsRemoved() throws Exception {
    try (RawClient c = proxy.client()) {
      c.send("GET " + origin.url("/a/b?x=1") + " HTTP/1.1\r\n"
          + "Host: wrong.example\r\n"
          + "User-Agent: t/1\r\n"
          + "Connection: keep-alive, X-Secret\r\n"
          + "X-Secret: s\r\n"
          + "Keep-Alive: timeout=5\r\n"
          + "Proxy-Connection: keep-alive\r\n"
          + "Proxy-Authorization: Basic Zm9vOmJhcg==\r\n"
          + "TE: trailers, gzip\r\n"
          + "Upgrade: h2c\r\n"
          + "Accept: */*\r\n"
          + "accept: text/html\r\n"
          + "\r\n");
      RawClient.Response r = c.readResponse();
      assertEquals(200, r.status());
      assertEquals("ok", r.bodyText());
    }
    Recorded got = origin.takeRequest();
    assertEquals("GET /a/b?x=1 HTTP/1.1", got.requestLine());
    assertEquals(List.of(
        "Host: 127.0.0.1:" + origin.port(),
        "User-Agent: t/1",
        "Accept: */*",
        "accept: text/html",
        "TE: trailers",
        "Connection: TE",
        "Via: 1.1 hopwise"), got.fieldLines());
  }

  @Test
  void responseHopByHopFieldsRemovedAndViaAdded() throws Exception {
    origin.enqueue(Reply.raw("HTTP/1.1 200 OK\r\n"
        + "Content-Type: text/plain\r\n"
        + "Connection: X-Hop\r\n"
        + "X-Hop: 1\r\n"
        + "Keep-Alive: timeout=5, max=100\r\n"
        + "Proxy-Authenticate: Basic realm=x\r\n"
        + "Set-Cookie: a=1\r\n"
        + "Set-Cookie: b=2\r\n"
        + "Content-Length: 5\r\n\r\nhello"));
    try (RawClient c = proxy.client()) {
      c.send("GET " + origin.url("/") + " HTTP/1.1\r\nHost: x\r\n\r\n");
      String head = c.readHead();
      assertEquals("HTTP/1.1 200 OK\r\n"
          + "Content-Type: text/plain\r\n"
          + "Set-Cookie: a=1\r\n"
          + "Set-Cookie: b=2\r\n"
          + "Content-Length: 5\r\n"
          + "Via: 1.1 hopwise\r\n\r\n", head);
    }
  }

  @Test
  void keepAliveClientReusesOneUpstreamConnection() throws Exception {
    try (RawClient c = proxy.client()) {
      for (int i = 0; i < 5; i++) {
        c.send("GET " + origin.url("/" + i) + " HTTP/1.1\r\nHost: x\r\n\r\n");
        assertEquals(200, c.readResponse().status());
      }
    }
    assertEquals(1, origin.connectionCount());
  }

  @Test
  void clientConnectionCloseIsAnsweredAndClosedButUpstreamStaysPooled() throws Exception {
    for (int i = 0; i < 3; i++) {
      try (RawClient c = proxy.client()) {
        c.send("GET " + origin.url("/") + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        RawClient.Response r = c.readResponse();
        assertEquals(200, r.status());
        assertEquals("close", r.field("Connection"));
        assertTrue(c.closedByPeer(3000), "proxy should close after Connection: close");
      }
    }
    assertEquals(1, origin.connectionCount());
  }
}
