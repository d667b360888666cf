package io.hopwise.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hopwise.testing.Payload;
import io.hopwise.testing.TestVertx;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetServerOptions;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The mechanism under issue 22's fix: a socket's bytes and its end reach the reader in order,
 * whether the reader was paused when the peer closed or not, on every transport.
 */
class PeerInputTest {
  private static final long MB = 1024 * 1024;
  private Vertx vertx;

  @BeforeEach
  void start() {
    vertx = TestVertx.create();
  }

  @AfterEach
  void stop() throws Exception {
    vertx.close().await(5, TimeUnit.SECONDS);
  }

  /** What a reader saw, in order: "data" runs collapsed, then its ends. */
  private static final class Recorder implements PeerInput.Reader {
    final Payload.Sha256 digest = new Payload.Sha256();
    final List<String> events = Collections.synchronizedList(new ArrayList<>());
    final CompletableFuture<Void> done = new CompletableFuture<>();
    Throwable cause;

    @Override
    public void data(Buffer data) {
      byte[] b = data.getBytes();
      digest.update(b, 0, b.length);
      if (events.isEmpty() || !events.get(events.size() - 1).equals("data")) {
        events.add("data");
      }
    }

    @Override
    public void ended() {
      events.add("ended");
      done.complete(null);
    }

    @Override
    public void broken(Throwable c) {
      cause = c;
      events.add("broken");
      done.complete(null);
    }
  }

  /** Starts a server whose first connection is read by {@code recorder} through a paused PeerInput. */
  private int serve(Recorder recorder, CompletableFuture<PeerInput> input) throws Exception {
    // A fixed receive buffer: loopback's autotuned one could hold the whole body (see below).
    return vertx.createNetServer(new NetServerOptions().setReceiveBufferSize(256 * 1024)).connectHandler(socket -> {
      PeerInput in = PeerInput.of(socket, recorder);
      in.pause();
      input.complete(in);
    }).listen(0, "127.0.0.1").await(5, TimeUnit.SECONDS).actualPort();
  }

  /** Resumes, and from then on pauses after every delivery and resumes 1 ms later: a stuttering reader. */
  private void stutter(PeerInput in, Recorder recorder) {
    PeerInput.Reader slow = new PeerInput.Reader() {
      @Override
      public void data(Buffer data) {
        recorder.data(data);
        in.pause();
        vertx.setTimer(1, t -> in.resume());
      }

      @Override
      public void ended() {
        recorder.ended();
      }

      @Override
      public void broken(Throwable cause) {
        recorder.broken(cause);
      }
    };
    vertx.runOnContext(v -> {
      in.reader(slow);
      in.resume();
    });
  }

  // Issue 22: the FIN was acted on while bytes still waited in Vert.x's queue for a paused socket.
  @Test
  void everyByteThenTheEndWhenThePeerFinsWhileTheReaderIsPaused() throws Exception {
    long n = 20 * MB;
    Recorder recorder = new Recorder();
    CompletableFuture<PeerInput> input = new CompletableFuture<>();
    int port = serve(recorder, input);
    try (Socket peer = new Socket()) {
      peer.connect(new InetSocketAddress("127.0.0.1", port), 5000);
      Thread writer = new Thread(() -> {
        try {
          Payload.write(peer.getOutputStream(), n, 21);
          peer.shutdownOutput();
        } catch (Exception e) {
          // the assertions below tell
        }
      });
      writer.start();
      writer.join(1500); // the reader stays paused meanwhile: the kernel buffers fill, the peer blocks
      PeerInput in = input.get(5, TimeUnit.SECONDS);
      stutter(in, recorder);
      recorder.done.get(30, TimeUnit.SECONDS);
      writer.join(5000);
      assertEquals(List.of("data", "ended"), recorder.events);
      assertEquals(n, recorder.digest.count());
      assertEquals(Payload.digest(n, 21), recorder.digest.hex());
      // Reading from the kernel stops while paused: what waits here is bounded by what the kernel
      // had received (epoll drains the receive buffer once it has seen the FIN), not the 20 MB.
      assertTrue(in.maxQueuedBytes() < 2 * MB, "queued at most " + in.maxQueuedBytes());
    }
  }

  @Test
  void aSmallMessageAndItsFinBothWaitForAPausedReaderInOrder() throws Exception {
    Recorder recorder = new Recorder();
    CompletableFuture<PeerInput> input = new CompletableFuture<>();
    int port = serve(recorder, input);
    try (Socket peer = new Socket()) {
      peer.connect(new InetSocketAddress("127.0.0.1", port), 5000);
      peer.getOutputStream().write("last words".getBytes());
      peer.shutdownOutput();
      PeerInput in = input.get(5, TimeUnit.SECONDS);
      Thread.sleep(300); // bytes and FIN have arrived; the reader is still paused
      assertTrue(recorder.events.isEmpty(), "nothing reaches a paused reader: " + recorder.events);
      vertx.runOnContext(v -> in.resume());
      recorder.done.get(5, TimeUnit.SECONDS);
      assertEquals(List.of("data", "ended"), recorder.events);
      assertEquals(10, recorder.digest.count());
    }
  }

  // Complete only when complete: a reset is a break, never an orderly end, and comes after the bytes.
  @Test
  void aResetIsABreakDeliveredAfterTheBytesBeforeIt() throws Exception {
    Recorder recorder = new Recorder();
    CompletableFuture<PeerInput> input = new CompletableFuture<>();
    int port = serve(recorder, input);
    try (Socket peer = new Socket()) {
      peer.connect(new InetSocketAddress("127.0.0.1", port), 5000);
      PeerInput in = input.get(5, TimeUnit.SECONDS);
      vertx.runOnContext(v -> in.resume());
      Payload.write(peer.getOutputStream(), MB, 22);
      Thread.sleep(200);
      peer.setSoLinger(true, 0);
      peer.close();
      recorder.done.get(5, TimeUnit.SECONDS);
      assertEquals(List.of("data", "broken"), recorder.events);
      assertEquals(MB, recorder.digest.count());
      assertNotNull(recorder.cause, "a reset carries its error");
      assertFalse(recorder.events.contains("ended"));
    }
  }
}
