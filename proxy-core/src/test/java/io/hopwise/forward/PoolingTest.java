package io.hopwise.forward;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hopwise.ProxyOptions;
import io.hopwise.ProxyOptionsBuilder;
import io.hopwise.http.Origin;
import io.hopwise.testing.ProxyHarness;
import io.hopwise.testing.RawClient;
import io.hopwise.testing.RecordingOrigin;
import io.hopwise.testing.RecordingOrigin.Recorded;
import io.hopwise.testing.RecordingOrigin.Reply;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Persistent upstream connections, client-side persistence, pipelining, sidecar mode. */
class PoolingTest {
  @RegisterExtension
  final RecordingOrigin origin = RecordingOrigin.perTest();

  @Test
  void hundredRequestsOnNewClientConnectionsUseAtMostTwoUpstreamConnections() throws Exception {
    try (ProxyHarness proxy = new ProxyHarness(ProxyOptions.builder().setEventLoops(2))) {
      for (int i = 0; i < 100; i++) {
        try (RawClient c = proxy.client()) {
          c.send("GET " + origin.url("/" + i) + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
          assertEquals(200, c.readResponse().status());
        }
      }
    }
    assertTrue(origin.connectionCount() <= 2, "upstream connections: " + origin.connectionCount());
    assertEquals(100, origin.requestCount());
  }

  @Test
  void upstreamConnectionCloseIsNotReused() throws Exception {
    origin.enqueue(Reply.raw("HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 1\r\n\r\na"));
    try (ProxyHarness proxy = new ProxyHarness(ProxyOptions.builder().setEventLoops(1));
        RawClient c = proxy.client()) {
      c.send("GET " + origin.url("/1") + " HTTP/1.1\r\nHost: x\r\n\r\n");
      RawClient.Response first = c.readResponse();
      assertEquals(null, first.field("Connection"), "the upstream's close is not the client's");
      c.send("GET " + origin.url("/2") + " HTTP/1.1\r\nHost: x\r\n\r\n");
      assertEquals(200, c.readResponse().status());
    }
    assertEquals(2, origin.connectionCount());
  }

  @Test
  void http10UpstreamWithoutKeepAliveIsNotReused() throws Exception {
    origin.enqueue(Reply.raw("HTTP/1.0 200 OK\r\nContent-Length: 1\r\n\r\na"));
    try (ProxyHarness proxy = new ProxyHarness(ProxyOptions.builder().setEventLoops(1));
        RawClient c = proxy.client()) {
      c.send("GET " + origin.url("/1") + " HTTP/1.1\r\nHost: x\r\n\r\n");
      RawClient.Response first = c.readResponse();
      assertEquals("1.0 hopwise", first.field("Via"));
      c.send("GET " + origin.url("/2") + " HTTP/1.1\r\nHost: x\r\n\r\n");
      assertEquals(200, c.readResponse().status());
    }
    assertEquals(2, origin.connectionCount());
  }

  // Issue 29: RFC 9112 6.1, an HTTP/1.0 message with Transfer-Encoding has faulty framing; the
  // connection closes after it even though the origin said keep-alive.
  @Test
  void http10ResponseWithTransferEncodingIsNotReused() throws Exception {
    origin.enqueue(Reply.raw("HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n"));
    try (ProxyHarness proxy = new ProxyHarness(ProxyOptions.builder().setEventLoops(1));
        RawClient c = proxy.client()) {
      c.send("GET " + origin.url("/1") + " HTTP/1.1\r\nHost: x\r\n\r\n");
      assertEquals("hello", c.readResponse().bodyText());
      c.send("GET " + origin.url("/2") + " HTTP/1.1\r\nHost: x\r\n\r\n");
      assertEquals(200, c.readResponse().status());
    }
    assertEquals(2, origin.connectionCount());
  }

  /**
   * Issue 29's review of the response side: a response whose framing is faulty in any way is
   * never followed by another request on its connection, whatever the client got.
   */
  @org.junit.jupiter.params.ParameterizedTest(name = "{0}")
  @org.junit.jupiter.params.provider.ValueSource(strings = {
      "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n",
      "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello!",
      "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked, gzip\r\n\r\n5\r\nhello\r\n0\r\n\r\n",
      "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5;a=\"x\r\nhello\r\n0\r\n\r\n",
      "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhelloX\r\n0\r\n\r\n",
      "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhelloSTRAY",
      "HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n"})
  void aResponseWithFaultyFramingIsNeverFollowedOnItsConnection(String response) throws Exception {
    origin.enqueue(Reply.raw(response));
    try (ProxyHarness proxy = new ProxyHarness(ProxyOptions.builder().setEventLoops(1))) {
      try (RawClient c = proxy.client()) {
        c.send("GET " + origin.url("/1") + " HTTP/1.1\r\nHost: x\r\n\r\n");
        c.readHead(); // a 502, or the body re-framed, or a reset: the connection is what matters
      } catch (java.io.IOException reset) {
        // the client may be reset when the framing breaks mid-body
      }
      try (RawClient c = proxy.client()) {
        c.send("GET " + origin.url("/2") + " HTTP/1.1\r\nHost: x\r\n\r\n");
        assertEquals(200, c.readResponse().status());
      }
    }
    assertEquals(2, origin.connectionCount(), "the second request went out on a new connection");
  }

  @Test
  void pipelinedRequestsAreAnsweredInOrder() throws Exception {
    try (ProxyHarness proxy = new ProxyHarness(ProxyOptions.builder().setEventLoops(1));
        RawClient c = proxy.client()) {
      origin.enqueue(Reply.ok("one")).enqueue(Reply.ok("two")).enqueue(Reply.ok("three"));
      String req = "GET " + origin.url("/p") + " HTTP/1.1\r\nHost: x\r\n\r\n";
      c.send(req + "POST " + origin.url("/q") + " HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc" + req);
      assertEquals("one", c.readResponse().bodyText());
      assertEquals("two", c.readResponse().bodyText());
      assertEquals("three", c.readResponse().bodyText());
    }
    origin.takeRequest();
    Recorded post = origin.takeRequest();
    assertEquals("POST /q HTTP/1.1", post.requestLine());
    assertEquals("abc", post.bodyText());
  }

  @Test
  void proxyPacIsServedOnTheProxyPort() throws Exception {
    try (ProxyHarness proxy = new ProxyHarness(ProxyOptions.builder().setEventLoops(1)); RawClient c = proxy.client()) {
      c.send("GET /proxy.pac HTTP/1.1\r\nHost: proxy.example:3128\r\n\r\n");
      RawClient.Response r = c.readResponse();
      assertEquals(200, r.status());
      assertEquals("application/x-ns-proxy-autoconfig", r.field("Content-Type"));
      assertTrue(r.bodyText().contains("function FindProxyForURL(url, host) {\n  return \"PROXY proxy.example:3128\";"), r.bodyText());
      c.send("GET /proxy.pac HTTP/1.1\r\nHost: 10.0.0.5\r\n\r\n");
      assertTrue(c.readResponse().bodyText().contains("\"PROXY 10.0.0.5:" + proxy.port() + "\""));
      c.send("GET /other HTTP/1.1\r\nHost: x\r\n\r\n");
      assertEquals(400, c.readResponse().status(), "only /proxy.pac is ours");
    }
    assertEquals(0, origin.requestCount());
  }

  @Test
  void originFormGoesToTheDefaultUpstreamKeepingHost() throws Exception {
    ProxyOptionsBuilder options = ProxyOptions.builder().setEventLoops(1)
        .setDefaultUpstream(Origin.parse("http://127.0.0.1:" + origin.port()));
    try (ProxyHarness proxy = new ProxyHarness(options); RawClient c = proxy.client()) {
      c.send("GET /app?x=1 HTTP/1.1\r\nHost: app.local\r\nConnection: keep-alive\r\n\r\n");
      assertEquals(200, c.readResponse().status());
    }
    Recorded got = origin.takeRequest();
    assertEquals("GET /app?x=1 HTTP/1.1", got.requestLine());
    assertEquals(java.util.List.of("Host: app.local", "Via: 1.1 hopwise"), got.fieldLines());
  }
}
