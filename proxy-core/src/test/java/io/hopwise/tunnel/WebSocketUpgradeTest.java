package io.hopwise.tunnel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hopwise.ProxyOptions;
import io.hopwise.testing.ProxyHarness;
import io.hopwise.testing.RawClient;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** WebSocket upgrades through the forwarding path: allowed by a switch, stripped otherwise. */
class WebSocketUpgradeTest {
  private static final String SWITCH = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
      + "Connection: Upgrade\r\nSec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n\r\n";

  private ServerSocket origin;
  private final BlockingQueue<String> heads = new LinkedBlockingQueue<>();
  private volatile String answer = SWITCH;

  @BeforeEach
  void start() throws IOException {
    origin = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
    Thread t = new Thread(() -> {
      try (Socket s = origin.accept()) {
        InputStream in = s.getInputStream();
        OutputStream out = s.getOutputStream();
        heads.add(readHead(in));
        out.write(answer.getBytes(StandardCharsets.ISO_8859_1));
        out.write("server-hello".getBytes(StandardCharsets.ISO_8859_1)); // first frame, right after the head
        out.flush();
        byte[] buf = new byte[4096];
        int n;
        while ((n = in.read(buf)) > 0) { // then echo
          out.write(buf, 0, n);
          out.flush();
        }
      } catch (IOException e) {
        // closed
      }
    });
    t.setDaemon(true);
    t.start();
  }

  @AfterEach
  void stop() throws IOException {
    origin.close();
  }

  private String upgradeRequest() {
    return upgradeRequest("http");
  }

  private String upgradeRequest(String scheme) {
    return "GET " + scheme + "://127.0.0.1:" + origin.getLocalPort() + "/chat HTTP/1.1\r\nHost: x\r\n"
        + "Connection: keep-alive, Upgrade\r\nUpgrade: websocket, h2c\r\nHTTP2-Settings: AAMAAABkAAQAAP__\r\n"
        + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n";
  }

  @Test
  void allowedUpgradeJoinsBothConnections() throws Exception {
    try (ProxyHarness proxy = new ProxyHarness(ProxyOptions.builder().setEventLoops(1).setAllowWebSocket(true));
        RawClient c = proxy.client()) {
      c.send(upgradeRequest() + "client-early");
      String head = c.readHead();
      assertTrue(head.startsWith("HTTP/1.1 101 Switching Protocols\r\n"), head);
      assertTrue(head.contains("\r\nUpgrade: websocket\r\n") && head.contains("\r\nConnection: Upgrade\r\n"), head);
      assertTrue(head.contains("Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo="), head);
      assertEquals("server-hello", new String(c.input().readNBytes(12), StandardCharsets.ISO_8859_1));
      assertEquals("client-early", new String(c.input().readNBytes(12), StandardCharsets.ISO_8859_1));
      c.send("ping");
      assertEquals("ping", new String(c.input().readNBytes(4), StandardCharsets.ISO_8859_1));
    }
    String got = heads.poll(5, TimeUnit.SECONDS);
    assertTrue(got.startsWith("GET /chat HTTP/1.1\r\n"), got);
    assertTrue(got.contains("\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"), got);
    assertFalse(got.contains("h2c"), "only websocket is passed on: " + got);
    assertFalse(got.contains("HTTP2-Settings"), got);
    assertTrue(got.contains("Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ=="), got);
  }

  // Issue 26: a join was recorded at the 101 with 0 bytes, and never at its end.
  @Test
  void aJoinIsRecordedWhenItEndsWithItsBytes() throws Exception {
    java.util.concurrent.BlockingQueue<io.hopwise.ProxyListener.ExchangeRecord> records = new java.util.concurrent.LinkedBlockingQueue<>();
    io.hopwise.ProxyListener listener = new io.hopwise.ProxyListener() {
      @Override
      public void requestCompleted(io.hopwise.ProxyListener.ExchangeRecord r) {
        records.add(r);
      }
    };
    try (ProxyHarness proxy = new ProxyHarness(ProxyOptions.builder().setEventLoops(1).setAllowWebSocket(true), listener)) {
      try (RawClient c = proxy.client()) {
        c.send(upgradeRequest() + "client-early");
        assertTrue(c.readHead().startsWith("HTTP/1.1 101"));
        assertEquals("server-hello", new String(c.input().readNBytes(12), StandardCharsets.ISO_8859_1));
        assertEquals("client-early", new String(c.input().readNBytes(12), StandardCharsets.ISO_8859_1));
        assertEquals(null, records.poll(200, TimeUnit.MILLISECONDS), "nothing recorded while the join lives");
      }
      io.hopwise.ProxyListener.ExchangeRecord r = records.poll(5, TimeUnit.SECONDS);
      assertEquals(101, r.status());
      assertEquals(12, r.requestBodyBytes(), "client-early");
      assertEquals(24, r.responseBodyBytes(), "server-hello and the echo");
    }
  }

  // Issue 26: aiohttp's WebSocket client sends a ws:// target through a proxy; it got 501.
  @Test
  void aWsTargetIsAnUpgradeToItsHttpOrigin() throws Exception {
    try (ProxyHarness proxy = new ProxyHarness(ProxyOptions.builder().setEventLoops(1).setAllowWebSocket(true));
        RawClient c = proxy.client()) {
      c.send(upgradeRequest("ws"));
      String head = c.readHead();
      assertTrue(head.startsWith("HTTP/1.1 101 Switching Protocols\r\n"), head);
      assertEquals("server-hello", new String(c.input().readNBytes(12), StandardCharsets.ISO_8859_1));
    }
    String got = heads.poll(5, TimeUnit.SECONDS);
    assertTrue(got.startsWith("GET /chat HTTP/1.1\r\n"), got);
    assertTrue(got.contains("\r\nHost: 127.0.0.1:" + origin.getLocalPort() + "\r\n"), got);
  }

  @Test
  void upgradeIsStrippedByDefaultAndAnUnaskedFor101Is502() throws Exception {
    try (ProxyHarness proxy = new ProxyHarness(ProxyOptions.builder().setEventLoops(1));
        RawClient c = proxy.client()) {
      c.send(upgradeRequest());
      RawClient.Response r = c.readResponse();
      assertEquals(502, r.status(), "the origin switched although we never asked");
    }
    String got = heads.poll(5, TimeUnit.SECONDS);
    assertFalse(got.contains("Upgrade"), got);
    assertTrue(got.contains("Sec-WebSocket-Key"), "end-to-end fields stay: " + got);
  }

  @Test
  void allowedButOriginDeclinesIsAnOrdinaryResponse() throws Exception {
    answer = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nno";
    try (ProxyHarness proxy = new ProxyHarness(ProxyOptions.builder().setEventLoops(1).setAllowWebSocket(true));
        RawClient c = proxy.client()) {
      c.send(upgradeRequest());
      RawClient.Response r = c.readResponse();
      assertEquals(200, r.status());
      assertEquals("no", r.bodyText());
    }
  }

  private static String readHead(InputStream in) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    int c;
    while ((c = in.read()) >= 0) {
      b.write(c);
      String s = b.toString(StandardCharsets.ISO_8859_1);
      if (s.endsWith("\r\n\r\n")) {
        return s;
      }
    }
    return b.toString(StandardCharsets.ISO_8859_1);
  }
}
