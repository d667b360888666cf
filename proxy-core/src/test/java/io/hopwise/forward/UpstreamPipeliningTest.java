package io.hopwise.forward;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hopwise.ProxyOptions;
import io.hopwise.ProxyOptionsBuilder;
import io.hopwise.testing.ProxyHarness;
import io.hopwise.testing.RawClient;
import io.hopwise.testing.RecordingOrigin;
import io.hopwise.testing.RecordingOrigin.Reply;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Upstream pipelining (RFC 9112 9.3.2), off by default. One upstream connection and no wait
 * queue make the difference visible: a request that finds the connection busy is either written
 * behind the one in flight (pipelining) or refused with 503.
 */
class UpstreamPipeliningTest {
  @RegisterExtension
  final RecordingOrigin origin = RecordingOrigin.perTest();

  private ProxyOptionsBuilder oneConnection(int pipelining) {
    return ProxyOptions.builder().setEventLoops(1).setMaxConnectionsPerOrigin(1).setMaxWaitQueue(0)
        .setUpstreamPipelining(pipelining);
  }

  private String get(String path) {
    return "GET " + origin.url(path) + " HTTP/1.1\r\nHost: x\r\n\r\n";
  }

  @Test
  void offByDefault() {
    assertEquals(1, ProxyOptions.DEFAULTS.upstream().pipelining());
  }

  @Test
  void withoutPipeliningABusyConnectionMeans503() throws Exception {
    origin.enqueue(Reply.ok("first").after(500));
    try (ProxyHarness proxy = new ProxyHarness(oneConnection(1));
        RawClient a = proxy.client(); RawClient b = proxy.client()) {
      a.send(get("/a"));
      origin.takeRequest();
      b.send(get("/b"));
      assertEquals(503, b.readResponse().status());
      assertEquals("first", a.readResponse().bodyText());
    }
  }

  @Test
  void getsArePipelinedOnTheBusyConnectionAndAnsweredInOrder() throws Exception {
    origin.enqueue(Reply.ok("first").after(500)).enqueue(Reply.ok("second")).enqueue(Reply.ok("third"));
    try (ProxyHarness proxy = new ProxyHarness(oneConnection(4));
        RawClient a = proxy.client(); RawClient b = proxy.client(); RawClient c = proxy.client()) {
      a.send(get("/a"));
      origin.takeRequest();
      b.send(get("/b"));
      Thread.sleep(50);
      c.send(get("/c"));
      assertEquals("first", a.readResponse().bodyText());
      assertEquals("second", b.readResponse().bodyText());
      assertEquals("third", c.readResponse().bodyText());
    }
    assertEquals(1, origin.connectionCount());
    assertEquals("GET /b HTTP/1.1", origin.takeRequest().requestLine());
    assertEquals("GET /c HTTP/1.1", origin.takeRequest().requestLine());
  }

  @Test
  void postIsNeverPipelined() throws Exception {
    origin.enqueue(Reply.ok("first").after(500));
    try (ProxyHarness proxy = new ProxyHarness(oneConnection(4));
        RawClient a = proxy.client(); RawClient b = proxy.client()) {
      a.send(get("/a"));
      origin.takeRequest();
      b.send("POST " + origin.url("/b") + " HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\n\r\nx");
      assertEquals(503, b.readResponse().status());
      assertEquals("first", a.readResponse().bodyText());
    }
  }

  @Test
  void unansweredPipelinedRequestsAreRetriedWhenTheUpstreamCloses() throws Exception {
    // The origin answers the first request with Connection: close and drops the rest.
    origin.enqueue(Reply.raw("HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 5\r\n\r\nfirst").after(500).thenClose());
    try (ProxyHarness proxy = new ProxyHarness(oneConnection(4));
        RawClient a = proxy.client(); RawClient b = proxy.client()) {
      a.send(get("/a"));
      origin.takeRequest();
      b.send(get("/b"));
      assertEquals("first", a.readResponse().bodyText());
      RawClient.Response r = b.readResponse();
      assertEquals(200, r.status());
      assertEquals("ok", r.bodyText());
    }
    Set<Integer> connections = new HashSet<>();
    while (true) {
      RecordingOrigin.Recorded r = origin.pollRequest(300);
      if (r == null) {
        break;
      }
      assertEquals("GET /b HTTP/1.1", r.requestLine());
      connections.add(r.connection());
    }
    assertTrue(connections.contains(2), "the unanswered GET was sent again on a new connection");
  }
}
