package io.hopwise.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.hopwise.io.TransportChoice.Kind;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Vert.x really runs on the transport chosen, and sockets work on it (a real loopback echo). */
class TransportsTest {
  @ParameterizedTest
  @EnumSource(value = Kind.class, names = {"IO_URING", "EPOLL", "NIO"})
  void vertxRunsOnTheChosenTransport(Kind kind) throws Exception {
    TransportChoice.Chosen chosen;
    try {
      chosen = Transports.choose(kind);
    } catch (IllegalStateException unavailable) {
      assumeTrue(false, unavailable.getMessage()); // not on this machine: nothing to check
      return;
    }
    Vertx vertx = Transports.vertx(new VertxOptions(), chosen);
    try {
      String impl = ((VertxInternal) vertx).transport().getClass().getSimpleName();
      String expected = switch (kind) {
        case IO_URING -> "IoUringTransport";
        case EPOLL -> "EpollTransport";
        default -> "NioTransport";
      };
      assertEquals(expected, impl);
      NetServer echo = vertx.createNetServer().connectHandler(s -> s.handler(s::write));
      int port = echo.listen(0, "127.0.0.1").await(5, TimeUnit.SECONDS).actualPort();
      NetSocket client = vertx.createNetClient().connect(port, "127.0.0.1").await(5, TimeUnit.SECONDS);
      var received = new java.util.concurrent.CompletableFuture<String>();
      client.handler(b -> received.complete(b.toString()));
      client.write("ping");
      assertEquals("ping", received.get(5, TimeUnit.SECONDS));
    } finally {
      vertx.close().await(5, TimeUnit.SECONDS);
    }
  }

  @org.junit.jupiter.api.Test
  void autoPicksARunnableTransport() {
    TransportChoice.Chosen chosen = Transports.choose(Kind.AUTO);
    assertEquals(chosen.kind(), Transports.choose(chosen.kind()).kind(), "what auto picks runs when asked for by name");
  }
}
