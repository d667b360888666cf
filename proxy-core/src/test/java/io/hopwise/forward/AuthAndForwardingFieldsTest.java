package io.hopwise.forward;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hopwise.ProxyOptions;
import io.hopwise.ProxyOptionsBuilder;
import io.hopwise.policy.BasicAuth;
import io.hopwise.policy.ForwardedHeaders;
import io.hopwise.testing.ProxyHarness;
import io.hopwise.testing.RawClient;
import io.hopwise.testing.RecordingOrigin;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Proxy authentication, TRACE and Max-Forwards, and forwarding fields, end to end. */
class AuthAndForwardingFieldsTest {
  @RegisterExtension
  final RecordingOrigin origin = RecordingOrigin.perTest();

  private static String basic(String user, String password) {
    return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  private ProxyOptionsBuilder withAuth() {
    String line = BasicAuth.hashLine("alice", "s3cret".toCharArray(), new SecureRandom(), 1000);
    return ProxyOptions.builder().setEventLoops(1).setAuth(BasicAuth.parseFile(List.of(line)), "hopwise test");
  }

  private String get(String extra) {
    return "GET " + origin.url("/") + " HTTP/1.1\r\nHost: x\r\n" + extra + "\r\n";
  }

  @Test
  void missingCredentialsAre407WithAChallenge() throws Exception {
    try (ProxyHarness proxy = new ProxyHarness(withAuth()); RawClient c = proxy.client()) {
      c.send(get(""));
      RawClient.Response r = c.readResponse();
      assertEquals(407, r.status());
      assertEquals("Basic realm=\"hopwise test\"", r.field("Proxy-Authenticate"));
    }
    assertEquals(0, origin.connectionCount());
  }

  @Test
  void wrongPasswordIs407() throws Exception {
    try (ProxyHarness proxy = new ProxyHarness(withAuth()); RawClient c = proxy.client()) {
      c.send(get("Proxy-Authorization: " + basic("alice", "guess") + "\r\n"));
      assertEquals(407, c.readResponse().status());
    }
    assertEquals(0, origin.connectionCount());
  }

  @Test
  void rightCredentialsPassAndAreNotForwarded() throws Exception {
    try (ProxyHarness proxy = new ProxyHarness(withAuth()); RawClient c = proxy.client()) {
      for (int i = 0; i < 2; i++) { // the second is answered from the cache
        c.send(get("Proxy-Authorization: " + basic("alice", "s3cret") + "\r\n"));
        assertEquals(200, c.readResponse().status());
      }
    }
    assertFalse(origin.takeRequest().head().contains("Proxy-Authorization"));
  }

  @Test
  void connectNeedsCredentialsToo() throws Exception {
    try (ProxyHarness proxy = new ProxyHarness(withAuth()); RawClient c = proxy.client()) {
      c.send("CONNECT 127.0.0.1:443 HTTP/1.1\r\nHost: x\r\n\r\n");
      assertEquals(407, c.readResponse().status());
    }
  }

  @Test
  void traceIsRefusedByDefault() throws Exception {
    try (ProxyHarness proxy = new ProxyHarness(ProxyOptions.builder().setEventLoops(1)); RawClient c = proxy.client()) {
      c.send("TRACE " + origin.url("/") + " HTTP/1.1\r\nHost: x\r\n\r\n");
      RawClient.Response r = c.readResponse();
      assertEquals(405, r.status());
      assertFalse(r.field("Allow").contains("TRACE"), r.field("Allow"));
    }
    assertEquals(0, origin.connectionCount());
  }

  @Test
  void maxForwardsZeroIsAnsweredByTheProxy() throws Exception {
    try (ProxyHarness proxy = new ProxyHarness(ProxyOptions.builder().setEventLoops(1).setAllowTrace(true));
        RawClient c = proxy.client()) {
      c.send("OPTIONS " + origin.url("/") + " HTTP/1.1\r\nHost: x\r\nMax-Forwards: 0\r\n\r\n");
      RawClient.Response r = c.readResponse();
      assertEquals(200, r.status());
      assertTrue(r.field("Allow").contains("OPTIONS"), r.field("Allow"));
      c.send("TRACE " + origin.url("/t") + " HTTP/1.1\r\nHost: x\r\nMax-Forwards: 0\r\nCookie: secret\r\n\r\n");
      RawClient.Response t = c.readResponse();
      assertEquals("message/http", t.field("Content-Type"));
      assertTrue(t.bodyText().startsWith("TRACE " + origin.url("/t") + " HTTP/1.1\r\n"), t.bodyText());
      assertFalse(t.bodyText().contains("secret"), "credentials are not echoed");
      c.send("OPTIONS " + origin.url("/") + " HTTP/1.1\r\nHost: x\r\nMax-Forwards: 3\r\n\r\n");
      assertEquals(200, c.readResponse().status());
    }
    RecordingOrigin.Recorded got = origin.takeRequest();
    assertEquals("OPTIONS / HTTP/1.1", got.requestLine());
    assertTrue(got.fieldLines().contains("Max-Forwards: 2"), got.head());
  }

  @Test
  void forwardingFieldsAreSetAfterStrippingAndSpoofsReplaced() throws Exception {
    ProxyOptionsBuilder options = ProxyOptions.builder().setEventLoops(1)
        .setForwarded(ForwardedHeaders.Mode.BOTH, List.of());
    try (ProxyHarness proxy = new ProxyHarness(options); RawClient c = proxy.client()) {
      c.send(get("X-Forwarded-For: 6.6.6.6\r\nForwarded: for=6.6.6.6\r\n"));
      assertEquals(200, c.readResponse().status());
    }
    String head = origin.takeRequest().head();
    assertFalse(head.contains("6.6.6.6"), "an untrusted client's values are replaced: " + head);
    assertTrue(head.contains("\r\nX-Forwarded-For: 127.0.0.1\r\n"), head);
    assertTrue(head.contains("\r\nForwarded: for=127.0.0.1;proto=http"), head);
  }
}
