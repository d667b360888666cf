package io.hopwise.tunnel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hopwise.ProxyListener;
import io.hopwise.ProxyOptions;
import io.hopwise.ProxyOptionsBuilder;
import io.hopwise.policy.RoleVerdict;
import io.hopwise.policy.SniCheck;
import io.hopwise.testing.ProxyHarness;
import io.hopwise.testing.RawClient;
import io.hopwise.testing.RecordingOrigin;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.SelfSignedCertificate;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The SNI check (issue 26) with a real TLS client (the JDK's) through CONNECT to a real TLS origin:
 * a matching server name passes, a mismatching one is closed before the origin sees a byte
 * (enforce) or passes and is reported (report); a tunnel that is not TLS is not checked.
 */
class SniCheckTest {
  private Vertx vertx;
  private SelfSignedCertificate cert;
  private NetServer origin;
  /** TLS sessions the origin completed (Vert.x calls the handler after the handshake). */
  private final AtomicInteger originSessions = new AtomicInteger();
  private final io.hopwise.testing.RecordingListener recorder = new io.hopwise.testing.RecordingListener();
  private final java.util.concurrent.BlockingQueue<ProxyListener.TunnelRecord> tunnels = recorder.tunnels;

  @BeforeEach
  void start() throws Exception {
    vertx = io.hopwise.testing.TestVertx.create();
    cert = SelfSignedCertificate.create("localhost");
    origin = vertx.createNetServer(new NetServerOptions().setHost("127.0.0.1").setPort(0).setSsl(true)
        .setKeyCertOptions(cert.keyCertOptions()));
    origin.connectHandler(s -> {
      originSessions.incrementAndGet();
      s.handler(b -> {
      if (b.toString().contains("\r\n\r\n")) {
        s.end(io.vertx.core.buffer.Buffer.buffer("HTTP/1.1 200 OK\r\nContent-Length: 6\r\nConnection: close\r\n\r\nsecure"));
      }
      });
    });
    origin.listen().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @AfterEach
  void stop() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    cert.delete();
  }

  private ProxyOptionsBuilder options(SniCheck.Mode mode) {
    return ProxyOptions.builder().setEventLoops(1).setConnectPorts(List.of("1-65535")).setSniCheck(mode);
  }

  /** CONNECT to {@code host}, then TLS asking for {@code sni}; returns the body, or throws. */
  private static String get(int proxyPort, String host, int port, String sni) throws Exception {
    try (RawClient c = new RawClient(proxyPort)) {
      c.send("CONNECT " + host + ":" + port + " HTTP/1.1\r\nHost: " + host + ":" + port + "\r\n\r\n");
      assertTrue(c.readHead().startsWith("HTTP/1.1 200"), "tunnel established");
      SSLContext trustAll = SSLContext.getInstance("TLS");
      trustAll.init(null, new TrustManager[] {new X509TrustManager() {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {}

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {}

        @Override
        public X509Certificate[] getAcceptedIssuers() {
          return new X509Certificate[0];
        }
      }}, null);
      Socket raw = c.socket();
      try (SSLSocket tls = (SSLSocket) trustAll.getSocketFactory().createSocket(raw, sni, port, false)) {
        SSLParameters p = tls.getSSLParameters();
        p.setServerNames(List.of(new SNIHostName(sni)));
        tls.setSSLParameters(p);
        tls.setSoTimeout(5000);
        tls.startHandshake();
        tls.getOutputStream().write(("GET / HTTP/1.1\r\nHost: " + sni + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        InputStream in = tls.getInputStream();
        String response = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        return response.substring(response.indexOf("\r\n\r\n") + 4);
      }
    }
  }

  private RoleVerdict nextTunnelVerdict() throws InterruptedException {
    ProxyListener.TunnelRecord r = tunnels.poll(5, TimeUnit.SECONDS);
    assertNotNull(r, "no tunnel record");
    return r.verdict();
  }

  @Test
  void theServerNameOfTheConnectPasses() throws Exception {
    try (ProxyHarness proxy = new ProxyHarness(options(SniCheck.Mode.ENFORCE), recorder)) {
      assertEquals("secure", get(proxy.port(), "localhost", origin.actualPort(), "localhost"));
      assertEquals("allow", nextTunnelVerdict().outcome().configName());
      assertEquals(1, originSessions.get());
    }
  }

  @Test
  void anotherServerNameIsClosedBeforeTheOriginSeesAByte() throws Exception {
    try (ProxyHarness proxy = new ProxyHarness(options(SniCheck.Mode.ENFORCE), recorder)) {
      assertThrows(IOException.class, () -> get(proxy.port(), "localhost", origin.actualPort(), "evil.example"));
      RoleVerdict v = nextTunnelVerdict();
      assertEquals("deny", v.outcome().configName());
      assertEquals("sniCheck: server name evil.example is not the CONNECT host localhost", v.rule());
      assertEquals(0, originSessions.get(), "the ClientHello never reached the origin: no TLS session there");
    }
  }

  @Test
  void inReportModeAMismatchGoesOnAndIsReported() throws Exception {
    try (ProxyHarness proxy = new ProxyHarness(options(SniCheck.Mode.REPORT), recorder)) {
      assertEquals("secure", get(proxy.port(), "localhost", origin.actualPort(), "evil.example"));
      RoleVerdict v = nextTunnelVerdict();
      assertEquals("report-deny", v.outcome().configName());
      assertEquals("sniCheck: server name evil.example is not the CONNECT host localhost", v.rule());
    }
  }

  @Test
  void aTunnelThatIsNotTlsIsNotChecked() throws Exception {
    try (RecordingOrigin plain = new RecordingOrigin();
        ProxyHarness proxy = new ProxyHarness(options(SniCheck.Mode.ENFORCE), recorder);
        RawClient c = proxy.client()) {
      plain.setDefaultReply(RecordingOrigin.Reply.ok("plain"));
      c.send("CONNECT 127.0.0.1:" + plain.port() + " HTTP/1.1\r\nHost: x\r\n\r\n");
      assertTrue(c.readHead().startsWith("HTTP/1.1 200"));
      c.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
      assertEquals("plain", c.readResponse().bodyText());
    }
  }
}
