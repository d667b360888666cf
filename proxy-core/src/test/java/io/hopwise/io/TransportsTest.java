package io.hopwise.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.hopwise.io.TransportChoice.Kind;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import io.vertx.core.transport.Transport;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Vert.x really runs on the transport chosen, sockets work on it, and a failed start moves on. */
class TransportsTest {
  @ParameterizedTest
  @EnumSource(value = Kind.class, names = {"IO_URING", "EPOLL", "NIO"})
  void vertxRunsOnTheChosenTransport(Kind kind) throws Exception {
    String problem = kind == Kind.NIO ? null
        : Transports.problem(kind == Kind.IO_URING ? Transport.IO_URING : Transport.EPOLL);
    if (problem != null) { // a machine that refuses it: asked for by name, it is a clear error
      IllegalStateException e = assertThrows(IllegalStateException.class,
          () -> Transports.start(new VertxOptions(), kind));
      assertEquals("transport " + kind + " is unavailable here: " + problem, e.getMessage());
      return;
    }
    Transports.Started started = Transports.start(new VertxOptions(), kind);
    Vertx vertx = started.vertx();
    try {
      assertEquals(new TransportChoice.Chosen(kind, null), started.transport());
      String expected = switch (kind) {
        case IO_URING -> "IoUringTransport";
        case EPOLL -> "EpollTransport";
        default -> "NioTransport";
      };
      assertEquals(expected, ((VertxInternal) vertx).transport().getClass().getSimpleName());
      NetServer echo = vertx.createNetServer().connectHandler(s -> s.handler(s::write));
      int port = echo.listen(0, "127.0.0.1").await(5, TimeUnit.SECONDS).actualPort();
      // On io_uring the first connection of a new Vert.x is sometimes closed at once, before a
      // byte passes (3 of 700 new instances here, none on epoll or NIO in 300 each; later
      // connections are fine: 999 of 1,000). That is Netty's or Vert.x's, not ours, and is
      // recorded in bench/README.md; a second connection must then work.
      String echoed = echo(vertx, port);
      if (echoed == null) {
        echoed = echo(vertx, port);
      }
      assertEquals("ping", echoed);
    } finally {
      vertx.close().await(5, TimeUnit.SECONDS);
    }
  }

  /** What comes back for "ping" on a new connection, or null if the connection closed first. */
  private static String echo(Vertx vertx, int port) throws Exception {
    NetSocket client = vertx.createNetClient().connect(port, "127.0.0.1").await(5, TimeUnit.SECONDS);
    CompletableFuture<String> received = new CompletableFuture<>();
    client.closeHandler(v -> received.complete(null));
    client.handler(b -> received.complete(b.toString()));
    client.write("ping").onFailure(t -> received.complete(null)); // closed before the write
    String echoed = received.get(5, TimeUnit.SECONDS);
    client.close();
    return echoed;
  }

  /** Probes that pass and starts that fail (as a larger ring past RLIMIT_MEMLOCK does). */
  @Test
  void autoTriesTheNextTransportWhenOneFailsToStart() throws Exception {
    boolean epoll = Transports.problem(Transport.EPOLL) == null;
    List<Kind> tried = new ArrayList<>();
    Transports.Started started = Transports.start(Kind.AUTO, kind -> {
      tried.add(kind);
      if (kind != Kind.NIO) {
        throw new IllegalStateException("failed to create epoll fd", new OutOfMemoryError("ENOMEM"));
      }
      return Vertx.vertx();
    });
    try {
      List<Kind> expected = new ArrayList<>(); // auto never tries io_uring (issue 22)
      if (epoll) {
        expected.add(Kind.EPOLL);
      }
      expected.add(Kind.NIO);
      assertEquals(expected, tried);
      assertEquals(Kind.NIO, started.transport().kind());
      String why = started.transport().fallback();
      assertEquals(epoll ? "epoll failed to start: failed to create epoll fd (ENOMEM)" : "epoll unavailable: ",
          epoll ? why : why.substring(0, "epoll unavailable: ".length()), why);
    } finally {
      started.vertx().close().await(5, TimeUnit.SECONDS);
    }
  }

  @Test
  void aNamedTransportThatFailsToStartIsAnError() {
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> Transports.start(Kind.NIO, kind -> {
          throw new IllegalStateException("boom");
        }));
    assertEquals("cannot start on transport nio: boom", e.getMessage());
  }

  @Test
  void problemSaysWhyInTheKernelsOrLibrarysWords() {
    assertNull(Transports.problem(fake(true, null)));
    assertEquals("its Netty module is not on the class path", Transports.problem(null));
    assertEquals("unavailable", Transports.problem(fake(false, null)));
    assertEquals("failed to load the required native library (libnetty.so: cannot open shared object file)",
        Transports.problem(fake(false, new UnsatisfiedLinkError("failed to load the required native library")
            .initCause(new UnsatisfiedLinkError("libnetty.so: cannot open shared object file")))));
    assertEquals("failed to create io_uring ring fd: Operation not permitted",
        Transports.problem(fake(false, new RuntimeException("failed to create io_uring ring fd: Operation not permitted"))));
    assertEquals("IllegalStateException (inner)",
        Transports.problem(fake(false, new IllegalStateException(null, new RuntimeException("inner")))));
  }

  private static Transport fake(boolean available, Throwable cause) {
    return new Transport() {
      @Override
      public String name() {
        return "fake";
      }

      @Override
      public boolean available() {
        return available;
      }

      @Override
      public Throwable unavailabilityCause() {
        return cause;
      }

      @Override
      public io.vertx.core.spi.transport.Transport implementation() {
        throw new UnsupportedOperationException();
      }
    };
  }
}
