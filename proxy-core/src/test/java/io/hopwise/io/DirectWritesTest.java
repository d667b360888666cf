package io.hopwise.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hopwise.testing.TestVertx;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import java.io.InputStream;
import java.net.Socket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A socket without Vert.x's write queue, on a real connection whose peer does not read at first:
 * writes stop at writeQueueFull within a bounded amount, the drain handler runs once the peer
 * reads, and every byte arrives, in order.
 */
class DirectWritesTest {
  private static final int CHUNK = 16 * 1024;
  private static final long TOTAL = 32L * 1024 * 1024;
  private final Vertx vertx = TestVertx.create();

  @AfterEach
  void stop() throws Exception {
    vertx.close().await(5, TimeUnit.SECONDS);
  }

  private static byte[] chunk(long index) {
    byte[] b = new byte[CHUNK];
    for (int i = 0; i < CHUNK; i++) {
      b[i] = (byte) (index * 31 + i);
    }
    return b;
  }

  @Test
  void aSocketWithoutTheQueueKeepsBackpressureAndEveryByte() throws Exception {
    CompletableFuture<Boolean> installed = new CompletableFuture<>();
    AtomicLong sent = new AtomicLong();
    CompletableFuture<Void> allWritten = new CompletableFuture<>();
    var server = vertx.createNetServer(new NetServerOptions().setHost("127.0.0.1").setPort(0)).connectHandler(socket -> {
      installed.complete(DirectWrites.install(socket) && DirectWrites.installed(socket));
      new Object() {
        long next;

        void pump() {
          while (next * CHUNK < TOTAL && !socket.writeQueueFull()) {
            socket.write(Buffer.buffer(chunk(next++)));
            sent.set(next * CHUNK);
          }
          if (next * CHUNK >= TOTAL) {
            socket.end();
            allWritten.complete(null);
          } else {
            socket.drainHandler(v -> pump());
          }
        }
      }.pump();
    });
    int port = server.listen().await(5, TimeUnit.SECONDS).actualPort();
    try (Socket peer = new Socket("127.0.0.1", port)) {
      peer.setReceiveBufferSize(64 * 1024);
      assertTrue(installed.get(5, TimeUnit.SECONDS), "the socket writes straight to the channel");
      Thread.sleep(500); // the peer reads nothing: the writer must stop
      assertTrue(sent.get() < TOTAL / 2, "the writer stopped at writeQueueFull: " + sent.get() + " B written");
      InputStream in = peer.getInputStream();
      byte[] got = new byte[CHUNK];
      for (long i = 0; i < TOTAL / CHUNK; i++) {
        int n = in.readNBytes(got, 0, CHUNK);
        assertTrue(n == CHUNK, "chunk " + i + " short: " + n);
        assertArrayEquals(chunk(i), got, "chunk " + i);
      }
      assertTrue(in.read() == -1, "the end after every byte");
      allWritten.get(5, TimeUnit.SECONDS);
    }
  }
}
