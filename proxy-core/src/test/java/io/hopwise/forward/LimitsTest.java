package io.hopwise.forward;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.hopwise.ProxyOptions;
import io.hopwise.testing.ProxyHarness;
import io.hopwise.testing.RawClient;
import io.hopwise.testing.RecordingOrigin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Connection and body-size limits (issue 5). */
class LimitsTest {
  @RegisterExtension
  final RecordingOrigin origin = RecordingOrigin.perTest();

  @Test
  void bodyOverTheLimitIs413BeforeAnythingIsForwarded() throws Exception {
    try (ProxyHarness proxy = new ProxyHarness(ProxyOptions.builder().setEventLoops(1).setMaxRequestBodyBytes(10));
        RawClient c = proxy.client()) {
      c.send("POST " + origin.url("/") + " HTTP/1.1\r\nHost: x\r\nContent-Length: 11\r\n\r\nhello world");
      assertEquals(413, c.readResponse().status());
    }
    assertNull(origin.pollRequest(200));
    assertEquals(0, origin.connectionCount());
  }

  @Test
  void chunkedBodyOverTheLimitIs413() throws Exception {
    try (ProxyHarness proxy = new ProxyHarness(ProxyOptions.builder().setEventLoops(1).setMaxRequestBodyBytes(10));
        RawClient c = proxy.client()) {
      c.send("POST " + origin.url("/") + " HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
          + "6\r\nhello \r\n6\r\nworld!\r\n0\r\n\r\n");
      assertEquals(413, c.readResponse().status());
    }
    assertNull(origin.pollRequest(200), "the origin never gets a complete request");
  }

  @Test
  void bodyWithinTheLimitPasses() throws Exception {
    try (ProxyHarness proxy = new ProxyHarness(ProxyOptions.builder().setEventLoops(1).setMaxRequestBodyBytes(10));
        RawClient c = proxy.client()) {
      c.send("POST " + origin.url("/") + " HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\n0123456789");
      assertEquals(200, c.readResponse().status());
    }
    assertEquals("0123456789", origin.takeRequest().bodyText());
  }

  @Test
  void connectionsPerClientAreCapped() throws Exception {
    try (ProxyHarness proxy = new ProxyHarness(ProxyOptions.builder().setEventLoops(1).setConnectionLimits(0, 2));
        RawClient a = proxy.client(); RawClient b = proxy.client(); RawClient c = proxy.client()) {
      RawClient.Response refused = c.readResponse();
      assertEquals(503, refused.status());
      a.send("GET " + origin.url("/") + " HTTP/1.1\r\nHost: x\r\n\r\n");
      assertEquals(200, a.readResponse().status());
      b.close();
      Thread.sleep(200);
      try (RawClient d = proxy.client()) {
        d.send("GET " + origin.url("/") + " HTTP/1.1\r\nHost: x\r\n\r\n");
        assertEquals(200, d.readResponse().status(), "a closed connection frees its slot");
      }
    }
  }
}
