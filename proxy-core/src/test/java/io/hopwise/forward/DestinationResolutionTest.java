package io.hopwise.forward;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hopwise.ProxyOptions;
import io.hopwise.testing.ProxyHarness;
import io.hopwise.testing.RawClient;
import io.hopwise.testing.RecordingOrigin;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The policy is applied to the resolved address, not just the name (DNS rebinding). */
class DestinationResolutionTest {
  @Test
  void nameThatResolvesToADeniedAddressIsRefused() throws Exception {
    try (RecordingOrigin origin = new RecordingOrigin();
        ProxyHarness proxy = new ProxyHarness(ProxyOptions.builder().setEventLoops(1)
            .setDestinations(List.of("127.0.0.1/32"), List.of(), List.of(), List.of("localhost"), List.of()));
        RawClient c = proxy.client()) {
      // "localhost" is an allowed name, but it resolves to 127.0.0.1, which is denied.
      c.send("GET http://localhost:" + origin.port() + "/ HTTP/1.1\r\nHost: x\r\n\r\n");
      RawClient.Response r = c.readResponse();
      assertEquals(403, r.status());
      assertTrue(r.bodyText().contains("127.0.0.1"), r.bodyText());
      assertEquals(0, origin.connectionCount());
    }
  }

  @Test
  void allowedDestinationsStillWork() throws Exception {
    try (RecordingOrigin origin = new RecordingOrigin();
        ProxyHarness proxy = new ProxyHarness(ProxyOptions.builder().setEventLoops(1)
            .setDestinations(List.of("10.0.0.0/8"), List.of(), List.of(), List.of(), List.of(origin.port())));
        RawClient c = proxy.client()) {
      c.send("GET http://localhost:" + origin.port() + "/ HTTP/1.1\r\nHost: x\r\n\r\n");
      assertEquals(200, c.readResponse().status());
      c.send("GET http://localhost:1/ HTTP/1.1\r\nHost: x\r\n\r\n");
      assertEquals(403, c.readResponse().status(), "port outside access.ports");
    }
  }
}
