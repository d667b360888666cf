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
}
