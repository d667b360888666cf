package io.hopwise.forward;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hopwise.ProxyOptions;
import io.hopwise.ProxyOptionsBuilder;
import io.hopwise.testing.ClosingPeer;
import io.hopwise.testing.Payload;
import io.hopwise.testing.ProxyHarness;
import io.hopwise.testing.RawClient;
import io.hopwise.testing.SlowReader;
import io.hopwise.testing.SlowReader.Ending;
import io.hopwise.testing.SlowReader.Received;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * Issue 22: a peer's close must never overtake bytes still queued. Each test pairs a peer that
 * closes right after writing (FIN at once, or a reset) with a reader that stays paused until the
 * peer is done and then reads in steps, and checks the digest and how the stream ended. On main
 * at 09b7ae6 these bodies were cut short, and the until-close ones still ended "complete".
 */
class PeerCloseOrderTest {
  private static final long MB = 1024 * 1024;
  /** The paused reader waits this long at most for the peer to finish writing. */
  private static final long PAUSE_MILLIS = 1500;

  private static ProxyOptionsBuilder options() {
    return ProxyOptions.builder().setEventLoops(1);
  }

  /** Waits until the peer has written everything and sent its FIN (bounded), then reads slowly. */
  private static SlowReader pausedThenSlow(ClosingPeer peer, InputStream in) throws InterruptedException {
    peer.awaitFinished(PAUSE_MILLIS);
    Thread.sleep(100);
    return new SlowReader(in, 256 * 1024, 2);
  }

  private static String get(ClosingPeer peer, String version) {
    return "GET http://127.0.0.1:" + peer.port() + "/f " + version + "\r\nHost: x\r\n\r\n";
  }

  private static Received fetchThroughProxy(ProxyOptionsBuilder options, ClosingPeer peer, String version) throws Exception {
    try (ProxyHarness proxy = new ProxyHarness(options); RawClient c = new RawClient(proxy.port(), 128 * 1024)) {
      c.send(get(peer, version));
      return pausedThenSlow(peer, c.input()).response();
    }
  }

  private static void assertWhole(Received r, long n, long seed) {
    assertEquals(Ending.COMPLETE, r.ending(), r.toString());
    assertEquals(n, r.bytes(), r.toString());
    assertEquals(Payload.digest(n, seed), r.digest(), "same length, different bytes: " + r);
  }

  // Issue 22, first row: HTTP/1.0 origin, no length, FIN right after the last byte.
  @ParameterizedTest(name = "{0} MB")
  @ValueSource(longs = {1, 10, 50})
  void untilCloseBodyReachesASlowHttp11ReaderWholeThenEndsWithTheLastChunk(long mb) throws Exception {
    long n = mb * MB;
    try (ClosingPeer peer = new ClosingPeer((s, in, out) -> {
      ClosingPeer.readHead(in);
      ClosingPeer.writeThenFin(s, "HTTP/1.0 200 OK\r\n\r\n", n, 7, false);
    })) {
      Received r = fetchThroughProxy(options(), peer, "HTTP/1.1");
      assertTrue(r.head().contains("Transfer-Encoding: chunked"), r.head());
      assertWhole(r, n, 7);
    }
  }

  @Test
  void untilCloseBodyReachesASlowHttp10ReaderWholeThenEof() throws Exception {
    long n = 10 * MB;
    try (ClosingPeer peer = new ClosingPeer((s, in, out) -> {
      ClosingPeer.readHead(in);
      ClosingPeer.writeThenFin(s, "HTTP/1.0 200 OK\r\n\r\n", n, 8, false);
    })) {
      assertWhole(fetchThroughProxy(options(), peer, "HTTP/1.0"), n, 8);
    }
  }

  // Issue 22, second row: Content-Length and Connection: close, FIN right after.
  @ParameterizedTest(name = "{0} MB")
  @ValueSource(longs = {1, 10})
  void lengthDelimitedBodyWithConnectionCloseReachesASlowReaderWhole(long mb) throws Exception {
    long n = mb * MB;
    try (ClosingPeer peer = new ClosingPeer((s, in, out) -> {
      ClosingPeer.readHead(in);
      ClosingPeer.writeThenFin(s, "HTTP/1.1 200 OK\r\nContent-Length: " + n + "\r\nConnection: close\r\n\r\n", n, 9, false);
    })) {
      assertWhole(fetchThroughProxy(options(), peer, "HTTP/1.1"), n, 9);
    }
  }

  @Test
  void chunkedBodyWithTrailersAndConnectionCloseReachesASlowReaderWhole() throws Exception {
    long n = 10 * MB;
    try (ClosingPeer peer = new ClosingPeer((s, in, out) -> {
      ClosingPeer.readHead(in);
      ClosingPeer.writeThenFin(s, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n", n, 10, true);
    })) {
      assertWhole(fetchThroughProxy(options(), peer, "HTTP/1.1"), n, 10);
    }
  }

  // Complete only when complete: a reset is never passed on as an orderly end.
  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"HTTP/1.1", "HTTP/1.0"})
  void untilCloseBodyCutByAResetIsAbortedAtTheClient(String clientVersion) throws Exception {
    try (ClosingPeer peer = new ClosingPeer((s, in, out) -> {
      ClosingPeer.readHead(in);
      ClosingPeer.writeThenReset(s, "HTTP/1.0 200 OK\r\n\r\n", 5 * MB, 11);
    })) {
      Received r = fetchThroughProxy(options(), peer, clientVersion);
      assertNotEquals(Ending.COMPLETE, r.ending(), "a reset body was passed on as complete: " + r);
      assertTrue(r.bytes() <= 5 * MB, r.toString());
    }
  }

  // Found by the integrity soak on io_uring: a reset right after the head went unnoticed and the client hung.
  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"length", "chunked", "until-close"})
  void aResetRightAfterTheHeadAndAByteAbortsTheClientPromptly(String kind) throws Exception {
    String framing = switch (kind) {
      case "length" -> "Content-Length: 3\r\n";
      case "chunked" -> "Transfer-Encoding: chunked\r\n";
      default -> "";
    };
    try (ClosingPeer peer = new ClosingPeer((s, in, out) -> {
      ClosingPeer.readHead(in);
      ClosingPeer.writeThenReset(s, (framing.isEmpty() ? "HTTP/1.0 200 OK\r\n" : "HTTP/1.1 200 OK\r\n") + framing + "\r\n",
          framing.startsWith("Transfer") ? 0 : 1, 17);
    })) {
      Received r = fetchThroughProxy(options(), peer, "HTTP/1.1");
      assertNotEquals(Ending.COMPLETE, r.ending(), r.toString());
      assertNotEquals(Ending.TIMEOUT, r.ending(), "the reset went unnoticed: " + r);
    }
  }

  // Issue 22, third row: the same bytes through a CONNECT tunnel, upstream FIN right after.
  @ParameterizedTest(name = "{0} MB")
  @ValueSource(longs = {1, 10})
  void tunnelDeliversEveryUpstreamByteBeforeItsHalfClose(long mb) throws Exception {
    long n = mb * MB;
    try (ClosingPeer peer = new ClosingPeer((s, in, out) -> ClosingPeer.writeThenFin(s, "", n, 12, false));
        ProxyHarness proxy = new ProxyHarness(options().setConnectPorts(List.of(peer.port())));
        RawClient c = new RawClient(proxy.port(), 128 * 1024)) {
      c.send("CONNECT 127.0.0.1:" + peer.port() + " HTTP/1.1\r\nHost: 127.0.0.1:" + peer.port() + "\r\n\r\n");
      assertTrue(c.readHead().startsWith("HTTP/1.1 200"));
      Received r = pausedThenSlow(peer, c.input()).stream();
      assertWhole(r, n, 12);
      c.socket().shutdownOutput(); // the peer waits for our side's end, then closes
    }
  }

  // Complete only when complete, in a tunnel too: the origin's reset reaches the client as a reset.
  @Test
  void tunnelCutByAnOriginResetIsResetAtTheClient() throws Exception {
    try (ClosingPeer peer = new ClosingPeer((s, in, out) -> ClosingPeer.writeThenReset(s, "", 5 * MB, 18));
        ProxyHarness proxy = new ProxyHarness(options().setConnectPorts(List.of(peer.port())));
        RawClient c = new RawClient(proxy.port(), 128 * 1024)) {
      c.send("CONNECT 127.0.0.1:" + peer.port() + " HTTP/1.1\r\nHost: 127.0.0.1:" + peer.port() + "\r\n\r\n");
      assertTrue(c.readHead().startsWith("HTTP/1.1 200"));
      Received r = pausedThenSlow(peer, c.input()).stream();
      assertEquals(Ending.RESET, r.ending(), "a cut tunnel must not end like a finished one: " + r);
    }
  }

  // The other direction: the client uploads through a tunnel and half-closes at once.
  @Test
  void tunnelDeliversEveryClientByteBeforeItsHalfCloseToASlowPeer() throws Exception {
    long n = 10 * MB;
    AtomicReference<Received> peerGot = new AtomicReference<>();
    try (ClosingPeer peer = new ClosingPeer((s, in, out) -> {
      sleep(PAUSE_MILLIS); // a peer that is slow to start reading
      peerGot.set(new SlowReader(in, 256 * 1024, 2).stream());
      out.write("done".getBytes(StandardCharsets.ISO_8859_1));
      s.shutdownOutput();
    });
        ProxyHarness proxy = new ProxyHarness(options().setConnectPorts(List.of(peer.port())));
        RawClient c = new RawClient(proxy.port(), 128 * 1024)) {
      c.send("CONNECT 127.0.0.1:" + peer.port() + " HTTP/1.1\r\nHost: 127.0.0.1:" + peer.port() + "\r\n\r\n");
      assertTrue(c.readHead().startsWith("HTTP/1.1 200"));
      Payload.write(c.socket().getOutputStream(), n, 13);
      c.socket().shutdownOutput();
      assertEquals("done", new String(c.input().readAllBytes(), StandardCharsets.ISO_8859_1));
      assertTrue(peer.awaitFinished(10_000));
      assertWhole(peerGot.get(), n, 13);
    }
  }

  // A request body from a client that half-closes right after its upload.
  @Test
  void uploadFromAClientThatHalfClosesAtOnceReachesASlowOriginWhole() throws Exception {
    long n = 10 * MB;
    AtomicReference<Received> originGot = new AtomicReference<>();
    try (ClosingPeer peer = new ClosingPeer((s, in, out) -> {
      ClosingPeer.readHead(in);
      sleep(PAUSE_MILLIS);
      Received body = new SlowReader(new LimitedInput(in, n), 256 * 1024, 2).stream();
      originGot.set(body);
      out.write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok".getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      ClosingPeer.drainToEof(in);
    });
        ProxyHarness proxy = new ProxyHarness(options());
        RawClient c = new RawClient(proxy.port(), 128 * 1024)) {
      c.send("POST http://127.0.0.1:" + peer.port() + "/up HTTP/1.1\r\nHost: x\r\nContent-Length: " + n + "\r\n\r\n");
      Payload.write(c.socket().getOutputStream(), n, 14);
      c.socket().shutdownOutput();
      RawClient.Response response = c.readResponse();
      assertEquals(200, response.status(), response.head());
      assertTrue(peer.awaitFinished(10_000));
      assertWhole(originGot.get(), n, 14);
    }
  }

  // Dumb mode relays bytes until the upstream closes: the close must come after the last byte.
  @Test
  void dumbModeDeliversEveryByteBeforeTheUpstreamsClose() throws Exception {
    long n = 10 * MB;
    try (ClosingPeer peer = new ClosingPeer((s, in, out) -> {
      ClosingPeer.readHead(in);
      ClosingPeer.writeThenFin(s, "HTTP/1.0 200 OK\r\n\r\n", n, 15, false);
    })) {
      assertWhole(fetchThroughProxy(options().setMode(ProxyOptions.Mode.DUMB), peer, "HTTP/1.0"), n, 15);
    }
  }

  // A WebSocket join is a tunnel after the 101: the upstream's FIN comes after its last byte.
  @Test
  void webSocketJoinDeliversEveryUpstreamByteBeforeItsHalfClose() throws Exception {
    long n = 10 * MB;
    try (ClosingPeer peer = new ClosingPeer((s, in, out) -> {
      ClosingPeer.readHead(in);
      ClosingPeer.writeThenFin(s, "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
          + "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n\r\n", n, 16, false);
    });
        ProxyHarness proxy = new ProxyHarness(options().setAllowWebSocket(true));
        RawClient c = new RawClient(proxy.port(), 128 * 1024)) {
      c.send("GET http://127.0.0.1:" + peer.port() + "/ws HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\n"
          + "Upgrade: websocket\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n");
      assertTrue(c.readHead().startsWith("HTTP/1.1 101"));
      assertWhole(pausedThenSlow(peer, c.input()).stream(), n, 16);
      c.socket().shutdownOutput();
    }
  }

  // A client that half-closes right after its request and then reads a large answer. On epoll
  // (Netty 4.2.18) the client's FIN left the socket with no interest, Netty dropped it from the
  // epoll set, and the first write that filled the socket buffer failed: the body was cut.
  @Test
  void largeResponseReachesAClientThatHalfClosedRightAfterItsRequest() throws Exception {
    long n = 10 * MB;
    try (ClosingPeer peer = new ClosingPeer((s, in, out) -> {
      ClosingPeer.readHead(in);
      sleep(300); // the proxy has seen the client's FIN and written nothing since
      ClosingPeer.writeThenFin(s, "HTTP/1.1 200 OK\r\nContent-Length: " + n + "\r\nConnection: close\r\n\r\n", n, 19, false);
    });
        ProxyHarness proxy = new ProxyHarness(options());
        RawClient c = new RawClient(proxy.port(), 128 * 1024)) {
      c.send(get(peer, "HTTP/1.1"));
      c.socket().shutdownOutput();
      assertWhole(pausedThenSlow(peer, c.input()).response(), n, 19);
    }
  }

  // The same in a tunnel: the client half-closes at once, the origin answers after that in bursts.
  @Test
  void tunnelDeliversBurstsSentAfterTheClientsHalfClose() throws Exception {
    long n = 10 * MB;
    try (ClosingPeer peer = new ClosingPeer((s, in, out) -> {
      ClosingPeer.drainToEof(in); // the client's half-close, passed on
      OutputStream bursts = new PausingOutput(out, 64 * 1024, 300); // a small burst drains, then the rest
      Payload.write(bursts, n, 20);
      s.shutdownOutput();
      ClosingPeer.drainToEof(in);
    });
        ProxyHarness proxy = new ProxyHarness(options().setConnectPorts(List.of(peer.port())));
        RawClient c = new RawClient(proxy.port(), 128 * 1024)) {
      c.send("CONNECT 127.0.0.1:" + peer.port() + " HTTP/1.1\r\nHost: 127.0.0.1:" + peer.port() + "\r\n\r\n");
      assertTrue(c.readHead().startsWith("HTTP/1.1 200"));
      c.socket().shutdownOutput();
      assertWhole(pausedThenSlow(peer, c.input()).stream(), n, 20);
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Passes writes on, and pauses once after the first {@code first} bytes (a burst, then a gap). */
  private static final class PausingOutput extends OutputStream {
    private final OutputStream out;
    private final long pauseMillis;
    private long untilPause;

    PausingOutput(OutputStream out, long first, long pauseMillis) {
      this.out = out;
      this.untilPause = first;
      this.pauseMillis = pauseMillis;
    }

    @Override
    public void write(int b) throws java.io.IOException {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws java.io.IOException {
      while (len > 0) {
        int now = untilPause > 0 ? (int) Math.min(len, untilPause) : len;
        out.write(b, off, now);
        off += now;
        len -= now;
        if (untilPause > 0 && (untilPause -= now) == 0) {
          out.flush();
          sleep(pauseMillis);
          untilPause = -1;
        }
      }
    }

    @Override
    public void flush() throws java.io.IOException {
      out.flush();
    }
  }

  /** The first {@code n} bytes of a stream, then EOF (a request body's end). */
  private static final class LimitedInput extends InputStream {
    private final InputStream in;
    private long left;

    LimitedInput(InputStream in, long n) {
      this.in = in;
      this.left = n;
    }

    @Override
    public int read() throws java.io.IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws java.io.IOException {
      if (left == 0) {
        return -1;
      }
      int r = in.read(b, off, (int) Math.min(len, left));
      if (r > 0) {
        left -= r;
      }
      return r;
    }
  }
}
