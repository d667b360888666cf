package io.hopwise.forward;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hopwise.HopwiseProxy;
import io.hopwise.ProxyListener;
import io.hopwise.ProxyOptions;
import io.hopwise.testing.RawClient;
import io.hopwise.testing.RecordingOrigin;
import io.hopwise.testing.RecordingOrigin.Reply;
import io.hopwise.server.ProxyServer;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.net.ConnectException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Graceful drain under load: every request the proxy took is answered completely. */
class DrainTest {
  @Test
  void drainUnderLoadAnswersEveryAcceptedRequest() throws Exception {
    Vertx vertx = io.hopwise.testing.TestVertx.create();
    try (RecordingOrigin origin = new RecordingOrigin()) {
      origin.setDefaultReply(Reply.ok("x".repeat(2000)).after(20));
      HopwiseProxy proxy = ProxyServer.start(vertx,
          ProxyOptions.builder().setHost("127.0.0.1").setPort(0).setEventLoops(2).build(), ProxyListener.NONE)
          .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      Set<String> answered = ConcurrentHashMap.newKeySet();
      AtomicInteger truncated = new AtomicInteger();
      AtomicInteger closeMarked = new AtomicInteger();
      AtomicBoolean stop = new AtomicBoolean();
      List<Thread> clients = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        int id = t;
        Thread th = new Thread(() -> {
          int n = 0;
          long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
          while (!stop.get() && System.nanoTime() < deadline) {
            try (RawClient c = new RawClient(proxy.port())) {
              for (int i = 0; i < 20 && !stop.get(); i++) {
                String path = "/r/" + id + "-" + n++;
                c.send("GET " + origin.url(path) + " HTTP/1.1\r\nHost: x\r\n\r\n");
                String head;
                try {
                  head = c.readHead();
                } catch (IOException e) {
                  break; // closed before any response byte: the request was never taken
                }
                if (head == null) {
                  break;
                }
                RawClient.Response r;
                try {
                  byte[] body = c.input().readNBytes(2000);
                  if (body.length != 2000) {
                    truncated.incrementAndGet();
                    break;
                  }
                  r = new RawClient.Response(head, body, "");
                } catch (IOException e) {
                  truncated.incrementAndGet();
                  break;
                }
                if (r.status() == 200) {
                  answered.add(path);
                }
                if ("close".equals(r.field("Connection"))) {
                  closeMarked.incrementAndGet();
                  break;
                }
              }
            } catch (ConnectException e) {
              return; // no longer accepting: expected after the drain starts
            } catch (IOException e) {
              // connection ended; start another
            }
          }
        });
        th.start();
        clients.add(th);
      }
      Thread.sleep(700);
      int before = answered.size();
      proxy.drain(Duration.ofSeconds(5)).toCompletionStage().toCompletableFuture().get(15, TimeUnit.SECONDS);
      stop.set(true);
      for (Thread th : clients) {
        th.join(5000);
      }
      Set<String> seen = new HashSet<>();
      RecordingOrigin.Recorded r;
      while ((r = origin.pollRequest(100)) != null) {
        seen.add(r.requestLine().split(" ")[1]);
      }
      assertTrue(before > 20, "load was running: " + before);
      assertEquals(0, truncated.get(), "no response may be cut short");
      Set<String> unanswered = new HashSet<>(seen);
      unanswered.removeAll(answered);
      assertEquals(Set.of(), unanswered, "every request the origin saw was answered to its client");
      assertTrue(closeMarked.get() > 0, "in-flight responses during the drain carry Connection: close");
      proxy.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }
}
