package io.hopwise.forward;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.hopwise.ProxyListener;
import io.hopwise.ProxyListener.ExchangeRecord;
import io.hopwise.ProxyListener.UpstreamUse;
import io.hopwise.ProxyOptions;
import io.hopwise.ProxyOptionsBuilder;
import io.hopwise.policy.BasicAuth;
import io.hopwise.testing.ProxyHarness;
import io.hopwise.testing.RawClient;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.security.SecureRandom;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Issue 26: a refusal (a malformed head, 407, a refused or failed CONNECT) left no line in the
 * access log, and local answers said "upstream":"new". Every refusal is now a record with no
 * upstream.
 */
class RefusalRecordsTest {
  private final io.hopwise.testing.RecordingListener listener = new io.hopwise.testing.RecordingListener();
  private final BlockingQueue<ExchangeRecord> refused = listener.refused;
  private final BlockingQueue<ExchangeRecord> completed = listener.completed;

  private ExchangeRecord refusal(ProxyOptionsBuilder options, String request) throws Exception {
    try (ProxyHarness proxy = new ProxyHarness(options.setEventLoops(1), listener); RawClient c = proxy.client()) {
      c.send(request);
      c.readResponse();
      ExchangeRecord r = refused.poll(5, TimeUnit.SECONDS);
      assertNotNull(r, "no refusal record for " + request.lines().findFirst().orElse(""));
      return r;
    }
  }

  @Test
  void aMalformedHeadIsRecorded() throws Exception {
    ExchangeRecord r = refusal(ProxyOptions.builder(), "GET http://example.com/ HTTP/1.1\r\nHost: x\r\nBad Field: y\r\n\r\n");
    assertEquals(400, r.status());
    assertEquals("-", r.method());
    assertEquals(UpstreamUse.NONE, r.upstream());
  }

  @Test
  void aConnectToAPortNotAllowedIsRecorded() throws Exception {
    ExchangeRecord r = refusal(ProxyOptions.builder(), "CONNECT 127.0.0.1:25 HTTP/1.1\r\nHost: x\r\n\r\n");
    assertEquals(403, r.status());
    assertEquals("CONNECT", r.method());
    assertEquals("127.0.0.1:25", r.target());
    assertEquals("127.0.0.1", r.clientAddress());
  }

  @Test
  void aFailedConnectIsRecorded() throws Exception {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = s.getLocalPort();
    }
    ExchangeRecord r = refusal(ProxyOptions.builder().setConnectPorts(List.of(closedPort)),
        "CONNECT 127.0.0.1:" + closedPort + " HTTP/1.1\r\nHost: x\r\n\r\n");
    assertEquals(502, r.status());
    assertEquals("127.0.0.1:" + closedPort, r.target());
  }

  @Test
  void aMissingProxyAuthorizationIsRecorded() throws Exception {
    String line = BasicAuth.hashLine("alice", "s3cret".toCharArray(), new SecureRandom(), 1000);
    ExchangeRecord r = refusal(ProxyOptions.builder().setAuth(BasicAuth.parseFile(List.of(line)), "test"),
        "GET http://example.com/ HTTP/1.1\r\nHost: x\r\n\r\n");
    assertEquals(407, r.status());
    assertEquals("GET", r.method());
    assertEquals("http://example.com/", r.target());
  }

  // Issue 26: no line named the authenticated user.
  @Test
  void anAuthenticatedRequestNamesItsUser() throws Exception {
    String line = BasicAuth.hashLine("alice", "s3cret".toCharArray(), new SecureRandom(), 1000);
    try (io.hopwise.testing.RecordingOrigin origin = new io.hopwise.testing.RecordingOrigin();
        ProxyHarness proxy = new ProxyHarness(ProxyOptions.builder().setEventLoops(1)
            .setAuth(BasicAuth.parseFile(List.of(line)), "test"), listener);
        RawClient c = proxy.client()) {
      String credentials = java.util.Base64.getEncoder().encodeToString("alice:s3cret".getBytes(java.nio.charset.StandardCharsets.UTF_8));
      c.send("GET " + origin.url("/") + " HTTP/1.1\r\nHost: x\r\nProxy-Authorization: Basic " + credentials + "\r\n\r\n");
      assertEquals(200, c.readResponse().status());
      ExchangeRecord r = completed.poll(5, TimeUnit.SECONDS);
      assertNotNull(r);
      assertEquals("alice", r.user());
    }
  }

  // A local answer (here the 400 for origin-form) was recorded as "upstream":"new".
  @Test
  void aLocalAnswerHasNoUpstream() throws Exception {
    try (ProxyHarness proxy = new ProxyHarness(ProxyOptions.builder().setEventLoops(1), listener); RawClient c = proxy.client()) {
      c.send("GET /index.html HTTP/1.1\r\nHost: x\r\n\r\n");
      assertEquals(400, c.readResponse().status());
      ExchangeRecord r = completed.poll(5, TimeUnit.SECONDS);
      assertNotNull(r);
      assertEquals(UpstreamUse.NONE, r.upstream());
    }
  }
}
