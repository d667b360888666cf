package io.hopwise.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.hopwise.HopwiseProxy;
import io.hopwise.ProxyListener;
import io.hopwise.ProxyOptions;
import io.hopwise.testing.RawClient;
import io.hopwise.testing.RecordingOrigin;
import io.vertx.core.Vertx;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Where the proxy listens, on real sockets. */
class ProxyServerTest {
  private final Vertx vertx = io.hopwise.testing.TestVertx.create();

  @AfterEach
  void close() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private HopwiseProxy start(int loops, ProxyListener listener) throws Exception {
    return ProxyServer.start(vertx, ProxyOptions.builder().setHost("127.0.0.1").setPort(0).setEventLoops(loops).build(),
        listener).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  /**
   * Regression: with port 0 each loop's server was bound on a random port of its own and only the
   * first one's was reported, so one loop of three took every connection.
   */
  @Test
  void onARandomPortEveryLoopTakesConnections() throws Exception {
    Set<String> loops = ConcurrentHashMap.newKeySet();
    ProxyListener threads = new ProxyListener() {
      @Override
      public void clientConnectionOpened() {
        loops.add(Thread.currentThread().getName());
      }
    };
    try (RecordingOrigin origin = new RecordingOrigin()) {
      origin.setDefaultReply(RecordingOrigin.Reply.ok("hello"));
      HopwiseProxy proxy = start(3, threads);
      for (int i = 0; i < 30; i++) { // new connections, handed to the loops in turn
        try (RawClient c = new RawClient(proxy.port())) {
          c.send("GET " + origin.url("/" + i) + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
          assertEquals("hello", c.readResponse().bodyText());
        }
      }
      assertEquals(3, loops.size(), "the loops that took connections: " + loops);
    }
  }

  /** Two proxies started on port 0 in one Vert.x (tests, the lab) get a port each. */
  @Test
  void twoProxiesOnRandomPortsDoNotShareOne() throws Exception {
    HopwiseProxy a = start(2, ProxyListener.NONE);
    HopwiseProxy b = start(2, ProxyListener.NONE);
    assertNotEquals(a.port(), b.port());
  }
}
