package io.hopwise.io;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.hopwise.testing.TestVertx;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The lingering close (RFC 9112 9.6) against a raw client socket. */
class SocketClosingTest {
  /**
   * A client may shut down its output and keep reading. If it does so while a lingering close is
   * still flushing (a large last response, a slow reader), what was written is still delivered
   * whole, and the connection closes once it is.
   */
  @Test
  void aClientThatHalfClosesDuringALingeringCloseStillGetsEverythingWritten() throws Exception {
    Vertx vertx = TestVertx.create();
    try {
      byte[] body = new byte[16 << 20]; // far more than loopback's socket buffers hold
      for (int i = 0; i < body.length; i++) {
        body[i] = (byte) (i * 31 + (i >>> 12));
      }
      CompletableFuture<Void> closed = new CompletableFuture<>();
      int port = vertx.createNetServer().connectHandler(socket -> {
        WriteCoalescing.install(socket); // as the proxy's connections have it
        socket.write(Buffer.buffer(body));
        SocketClosing.graceful(vertx, PeerInput.of(socket, null), Duration.ofSeconds(20), () -> closed.complete(null));
      }).listen(0, "127.0.0.1").await(5, TimeUnit.SECONDS).actualPort();

      try (Socket client = new Socket()) {
        client.setReceiveBufferSize(8 * 1024);
        client.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        client.setSoTimeout(15_000);
        Thread.sleep(300); // the server has written it all and begun its lingering close
        client.shutdownOutput(); // done sending; still reading
        InputStream in = client.getInputStream();
        byte[] got = new byte[body.length];
        int n = 0;
        for (int r; n < got.length && (r = in.read(got, n, got.length - n)) > 0; ) {
          n += r;
        }
        assertEquals(body.length, n, "bytes received before the connection ended");
        assertEquals(java.util.Arrays.hashCode(body), java.util.Arrays.hashCode(got));
        assertEquals(-1, in.read(), "then the end of the stream");
      }
      closed.get(5, TimeUnit.SECONDS); // closed at the client's close, not after the 20 s linger
    } finally {
      vertx.close().await(5, TimeUnit.SECONDS);
    }
  }

  /**
   * Regression (issue 28): every connection we closed gracefully built two exceptions with their
   * stack traces in Netty, a ChannelOutputShutdownException at our shutdown of output and a
   * NotYetConnectedException at the peer's end (shutdown(2) of input on a socket closed both
   * ways): with a connection per request, two stack traces per request. Epoll, where the socket is
   * shut down straight (skipped where epoll cannot run); the exceptions are counted by JFR.
   */
  @Test
  void aGracefulCloseBuildsNoStackTracedExceptionOnANativeTransport() throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(io.netty.channel.epoll.Epoll.isAvailable(), "epoll cannot run here");
    Vertx vertx = Transports.start(new io.vertx.core.VertxOptions(), TransportChoice.Kind.EPOLL).vertx();
    java.util.List<String> built = new java.util.ArrayList<>();
    try (jdk.jfr.Recording recording = new jdk.jfr.Recording()) {
      recording.enable("jdk.JavaExceptionThrow").withStackTrace();
      java.util.concurrent.atomic.AtomicInteger closed = new java.util.concurrent.atomic.AtomicInteger();
      int port = vertx.createNetServer().connectHandler(socket -> {
        WriteCoalescing.install(socket);
        socket.write(Buffer.buffer("hello"));
        SocketClosing.graceful(vertx, PeerInput.of(socket, null), Duration.ofSeconds(20), closed::incrementAndGet);
      }).listen(0, "127.0.0.1").await(5, TimeUnit.SECONDS).actualPort();
      recording.start();
      for (int i = 0; i < 20; i++) {
        try (Socket client = new Socket("127.0.0.1", port)) {
          client.setSoTimeout(5000);
          assertEquals("hello", new String(client.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.US_ASCII),
              "every byte, then the end");
        } // the client closes after our end: as a client of Connection: close does
      }
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      while (closed.get() < 20 && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      assertEquals(20, closed.get(), "each connection closed at the client's end, not after the 20 s linger");
      recording.stop();
      java.nio.file.Path file = java.nio.file.Files.createTempFile("closing", ".jfr");
      try {
        recording.dump(file);
        for (jdk.jfr.consumer.RecordedEvent e : jdk.jfr.consumer.RecordingFile.readAllEvents(file)) {
          String name = e.getClass("thrownClass").getName();
          if (name.endsWith("ChannelOutputShutdownException") || name.endsWith("NotYetConnectedException")) {
            built.add(name);
          }
        }
      } finally {
        java.nio.file.Files.deleteIfExists(file);
      }
    } finally {
      vertx.close().await(5, TimeUnit.SECONDS);
    }
    assertEquals(java.util.List.of(), built, "exceptions Netty built during 20 graceful closes");
  }
}
