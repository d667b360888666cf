package io.hopwise.app.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hopwise.ProxyListener;
import io.hopwise.policy.RoleVerdict;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Per-destination series stay bounded: the test, 10,000 destinations, at most k + 1 series. */
class DestinationMetricsTest {
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final AtomicLong now = new AtomicLong();
  private final DestinationMetrics metrics = new DestinationMetrics(registry, 50, Duration.ofMinutes(1), now::get);

  private static ProxyListener.ExchangeRecord request(String target, int status) {
    return new ProxyListener.ExchangeRecord("10.0.0.7", "GET", target, status, 0, 10, 2_000_000,
        ProxyListener.UpstreamUse.NEW, false, List.of(), null, RoleVerdict.NONE, io.hopwise.ClientLeg.NONE, null);
  }

  private long series(String name) {
    return registry.getMeters().stream().map(Meter::getId).filter(id -> id.getName().equals(name)).count();
  }

  @Test
  void tenThousandDestinationsMakeAtMostKPlusOneSeries() {
    for (int i = 0; i < 10_000; i++) {
      metrics.requestCompleted(request("http://host-" + i + ".example/x", 200));
      if (i % 2_000 == 1_999) {
        now.addAndGet(Duration.ofMinutes(1).toNanos()); // re-rankings along the way
      }
    }
    for (String name : List.of(DestinationMetrics.REQUESTS, DestinationMetrics.ERRORS, DestinationMetrics.DURATION)) {
      long n = series(name);
      assertTrue(n <= 51, name + ": " + n + " series");
    }
    double total = registry.find(DestinationMetrics.REQUESTS).counters().stream().mapToDouble(c -> c.count()).sum();
    assertTrue(total > 0);
  }

  @Test
  void requestsErrorsAndTunnelsByHost() {
    metrics.requestCompleted(request("http://API.example.com:8080/v1?x", 200));
    metrics.requestCompleted(request("https://user@api.example.com/", 502));
    metrics.tunnelClosed(new ProxyListener.TunnelRecord("10.0.0.7", "api.example.com", 443, 1, 1, 5, true, null,
        RoleVerdict.NONE, io.hopwise.ClientLeg.NONE, null));
    metrics.requestCompleted(request("/origin-form", 200)); // no host: not a destination's series
    metrics.requestCompleted(new ProxyListener.ExchangeRecord("10.0.0.7", "GET", "http://api.example.com/", 403, 0, 0, 1,
        ProxyListener.UpstreamUse.NONE, false, List.of(), null, RoleVerdict.NONE, io.hopwise.ClientLeg.NONE, null)); // refused here: reached nothing
    assertEquals(3.0, registry.get(DestinationMetrics.REQUESTS).tag("destination", "api.example.com").counter().count());
    assertEquals(2.0, registry.get(DestinationMetrics.ERRORS).tag("destination", "api.example.com").counter().count());
    assertEquals(2, registry.get(DestinationMetrics.DURATION).tag("destination", "api.example.com").timer().count(),
        "a tunnel's life is not a latency");
    assertEquals(1, series(DestinationMetrics.REQUESTS));
  }

  @Test
  void hostOfEveryTargetForm() {
    assertEquals("example.com", DestinationMetrics.hostOf("http://Example.com:80/a"));
    assertEquals("[::1]", DestinationMetrics.hostOf("http://[::1]:8080/"));
    assertEquals("example.com", DestinationMetrics.hostOf("example.com:443"));
    assertEquals(null, DestinationMetrics.hostOf("/index.html"));
    assertEquals(null, DestinationMetrics.hostOf("-"));
  }
}
