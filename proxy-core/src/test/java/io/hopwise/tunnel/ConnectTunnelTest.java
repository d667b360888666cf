package io.hopwise.tunnel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hopwise.ProxyListener;
import io.hopwise.ProxyOptions;
import io.hopwise.ProxyOptionsBuilder;
import io.hopwise.testing.ProxyHarness;
import io.hopwise.testing.RawClient;
import io.hopwise.testing.RecordingOrigin;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** CONNECT tunnels over real loopback sockets (http-rules C6). */
class ConnectTunnelTest {
  private ServerSocket peer;
  private final BlockingQueue<String> peerSaw = new LinkedBlockingQueue<>();

  @AfterEach
  void stop() throws IOException {
    if (peer != null) {
      peer.close();
    }
  }

  /** A loopback TCP peer that runs {@code script} on each accepted connection. */
  private int startPeer(BiConsumer<InputStream, OutputStream> script, Socket[] accepted) throws IOException {
    peer = new ServerSocket();
    peer.setReceiveBufferSize(128 * 1024);
    peer.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    Thread t = new Thread(() -> {
      try (Socket s = peer.accept()) {
        s.setSendBufferSize(128 * 1024);
        if (accepted != null) {
          accepted[0] = s;
        }
        script.accept(s.getInputStream(), s.getOutputStream());
      } catch (IOException e) {
        // test over
      }
    });
    t.setDaemon(true);
    t.start();
    return peer.getLocalPort();
  }

  private static ProxyOptionsBuilder allowing(int port) {
    return ProxyOptions.builder().setEventLoops(1).setConnectPorts(List.of(port, 443));
  }

  private static String connect(int port) {
    return "CONNECT 127.0.0.1:" + port + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n\r\n";
  }

  private static String readExactly(InputStream in, int n) throws IOException {
    return new String(in.readNBytes(n), StandardCharsets.ISO_8859_1);
  }

  private static void echo(InputStream in, OutputStream out) {
    try {
      byte[] buf = new byte[8192];
      int n;
      while ((n = in.read(buf)) > 0) {
        out.write(buf, 0, n);
        out.flush();
      }
    } catch (IOException e) {
      // closed
    }
  }

  @Test
  void tunnelToAnEchoServer() throws Exception {
    int port = startPeer(ConnectTunnelTest::echo, null);
    BlockingQueue<ProxyListener.TunnelRecord> records = new LinkedBlockingQueue<>();
    ProxyListener listener = new ProxyListener() {
      @Override
      public void tunnelClosed(TunnelRecord record) {
        records.add(record);
      }
    };
    try (ProxyHarness proxy = new ProxyHarness(allowing(port), listener)) {
      try (RawClient c = proxy.client()) {
        c.send(connect(port));
        // RFC 9110 9.3.6: a 2xx to CONNECT has no framing fields and no body.
        assertEquals("HTTP/1.1 200 Connection established\r\n\r\n", c.readHead());
        c.send("hello tunnel");
        assertEquals("hello tunnel", readExactly(c.input(), 12));
        c.send("!");
        assertEquals("!", readExactly(c.input(), 1));
      }
      ProxyListener.TunnelRecord r = records.poll(5, TimeUnit.SECONDS);
      assertEquals("127.0.0.1", r.clientAddress());
      assertEquals("127.0.0.1", r.host());
      assertEquals(port, r.port());
      assertEquals(13, r.bytesFromClient());
      assertEquals(13, r.bytesToClient());
      assertFalse(r.aborted(), "both ends closed in order");
    }
  }

  @Test
  void bytesSentBeforeThe200AreForwardedNotParsed() throws Exception {
    int port = startPeer(ConnectTunnelTest::echo, null);
    try (ProxyHarness proxy = new ProxyHarness(allowing(port)); RawClient c = proxy.client()) {
      c.send(connect(port) + "GET / HTTP/1.1\r\n\r\n\u0016\u0003\u0001early");
      assertEquals("HTTP/1.1 200 Connection established\r\n\r\n", c.readHead());
      assertEquals("GET / HTTP/1.1\r\n\r\n\u0016\u0003\u0001early", readExactly(c.input(), 26));
    }
  }

  @Test
  void clientHalfCloseReachesTheServerAndTheReplyStillComesBack() throws Exception {
    int port = startPeer((in, out) -> {
      try {
        String all = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1); // until our EOF
        peerSaw.add(all);
        out.write(("got:" + all).getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
      } catch (IOException e) {
        // closed
      }
    }, null);
    try (ProxyHarness proxy = new ProxyHarness(allowing(port)); RawClient c = proxy.client()) {
      c.send(connect(port));
      c.readHead();
      c.send("abc");
      c.socket().shutdownOutput();
      assertEquals("abc", peerSaw.poll(5, TimeUnit.SECONDS), "the server saw our end of stream");
      assertEquals("got:abc", new String(c.input().readAllBytes(), StandardCharsets.ISO_8859_1));
    }
  }

  @Test
  void serverHalfCloseReachesTheClientWhichCanStillSend() throws Exception {
    Socket[] accepted = new Socket[1];
    int port = startPeer((in, out) -> {
      try {
        out.write("bye".getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        accepted[0].shutdownOutput();
        peerSaw.add(new String(in.readAllBytes(), StandardCharsets.ISO_8859_1));
      } catch (IOException e) {
        // closed
      }
    }, accepted);
    try (ProxyHarness proxy = new ProxyHarness(allowing(port)); RawClient c = proxy.client()) {
      c.send(connect(port));
      c.readHead();
      assertEquals("bye", new String(c.input().readAllBytes(), StandardCharsets.ISO_8859_1), "bytes, then EOF");
      c.send("still here");
      c.socket().shutdownOutput();
      assertEquals("still here", peerSaw.poll(5, TimeUnit.SECONDS));
    }
  }

  @Test
  void disallowedPortIs403AndEarlyBytesAreNotParsed() throws Exception {
    try (RecordingOrigin origin = new RecordingOrigin();
        ProxyHarness proxy = new ProxyHarness(ProxyOptions.builder().setEventLoops(1));
        RawClient c = proxy.client()) {
      c.send("CONNECT 127.0.0.1:" + origin.port() + " HTTP/1.1\r\nHost: x\r\n\r\n"
          + "GET " + origin.url("/smuggled") + " HTTP/1.1\r\nHost: x\r\n\r\n");
      RawClient.Response r = c.readResponse();
      assertEquals(403, r.status());
      assertTrue(r.bodyText().contains("not allowed"), r.bodyText());
      assertTrue(c.closedByPeer(3000));
      assertNull(origin.pollRequest(300), "the bytes after a refused CONNECT are never a request");
      assertEquals(0, origin.connectionCount());
    }
  }

  // Issue 26: a port range allows its ends and what is between; the 403 names the ranges, short.
  @Test
  void aPortRangeAllowsAndTheRefusalNamesItShort() throws Exception {
    try (RecordingOrigin origin = new RecordingOrigin();
        ProxyHarness proxy = new ProxyHarness(ProxyOptions.builder().setEventLoops(1)
            .setConnectPorts(java.util.List.of(443, "1024-65535")));
        RawClient c = proxy.client(); RawClient refused = proxy.client()) {
      c.send("CONNECT 127.0.0.1:" + origin.port() + " HTTP/1.1\r\nHost: x\r\n\r\n");
      assertTrue(c.readHead().startsWith("HTTP/1.1 200"), "an ephemeral port is in 1024-65535");
      refused.send("CONNECT 127.0.0.1:80 HTTP/1.1\r\nHost: x\r\n\r\n");
      RawClient.Response r = refused.readResponse();
      assertEquals(403, r.status());
      assertTrue(r.bodyText().contains("CONNECT to port 80 is not allowed (connect.ports: 443, 1024-65535)"), r.bodyText());
    }
  }

  @Test
  void connectWithoutAPortIs400() throws Exception {
    try (ProxyHarness proxy = new ProxyHarness(ProxyOptions.builder().setEventLoops(1)); RawClient c = proxy.client()) {
      c.send("CONNECT example.com HTTP/1.1\r\nHost: example.com\r\n\r\n");
      assertEquals(400, c.readResponse().status());
    }
  }

  @Test
  void unreachableTargetIs502() throws Exception {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = s.getLocalPort();
    }
    try (ProxyHarness proxy = new ProxyHarness(allowing(closedPort)); RawClient c = proxy.client()) {
      c.send(connect(closedPort));
      RawClient.Response r = c.readResponse();
      assertEquals(502, r.status());
      // Issue 26: the reason named the tunnel's target as "http://127.0.0.1:PORT", a scheme the
      // client never asked for; a tunnel's target is an authority.
      assertTrue(r.bodyText().contains("cannot connect to 127.0.0.1:" + closedPort + ": connection refused"), r.bodyText());
    }
  }

  @Test
  void connectTimeoutIs504() throws Exception {
    // A listener whose accept queue is full drops new SYNs: connecting to it hangs (loopback only).
    try (ServerSocket full = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      int port = full.getLocalPort();
      Socket[] fillers = new Socket[4];
      for (int i = 0; i < fillers.length; i++) {
        fillers[i] = new Socket();
        try {
          fillers[i].connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
        } catch (IOException e) {
          // queue already full
        }
      }
      try (ProxyHarness proxy = new ProxyHarness(allowing(port).setConnectTimeout(Duration.ofMillis(500)));
          RawClient c = proxy.client()) {
        c.send(connect(port));
        RawClient.Response r = c.readResponse();
        assertEquals(504, r.status());
        assertTrue(r.bodyText().contains("timed out connecting to 127.0.0.1:" + port), r.bodyText());
      } finally {
        for (Socket s : fillers) {
          s.close();
        }
      }
    }
  }

  @Test
  void slowClientHoldsTheServerBackInsteadOfFillingMemory() throws Exception {
    long total = 50L * 1024 * 1024;
    AtomicLong written = new AtomicLong();
    int port = startPeer((in, out) -> {
      byte[] piece = new byte[65536];
      try {
        for (long left = total; left > 0; left -= piece.length) {
          out.write(piece);
          written.addAndGet(piece.length);
        }
      } catch (IOException e) {
        // closed
      }
    }, null);
    try (ProxyHarness proxy = new ProxyHarness(allowing(port)); RawClient c = new RawClient(proxy.port(), 128 * 1024)) {
      c.send(connect(port));
      c.readHead();
      c.input().readNBytes(1024 * 1024);
      Thread.sleep(1500);
      long ahead = written.get() - 1024 * 1024;
      assertTrue(ahead < 40L * 1024 * 1024, "the tunnel let the server run " + ahead + " bytes ahead");
    }
  }

  @Test
  void idleTunnelIsClosed() throws Exception {
    int port = startPeer(ConnectTunnelTest::echo, null);
    try (ProxyHarness proxy = new ProxyHarness(allowing(port).setTunnelIdleTimeout(Duration.ofMillis(300)));
        RawClient c = proxy.client()) {
      c.send(connect(port));
      c.readHead();
      c.send("x");
      assertEquals("x", readExactly(c.input(), 1));
      assertTrue(c.closedByPeer(3000));
    }
  }

  static String drain(InputStream in) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    in.transferTo(b);
    return b.toString(StandardCharsets.ISO_8859_1);
  }
}
