package io.hopwise.app.metrics;

import io.hopwise.ProxyListener;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Requests, errors and latency per destination host, for the busiest destinations only
 * ({@link TopDestinations}: at most k named series per metric plus {@code other}), so that an
 * egress proxy's metrics stay bounded however many hosts its clients reach (issue 26). A tunnel
 * counts as a request to its host (an error if it was cut), without a latency (its life is not
 * one). Refusals are not destinations' doing and are counted by role instead
 * ({@code hopwise_policy_denials_total}).
 */
public final class DestinationMetrics implements ProxyListener {
  static final String REQUESTS = "hopwise.destination.requests";
  static final String ERRORS = "hopwise.destination.errors";
  static final String DURATION = "hopwise.destination.duration";

  private record Meters(Counter requests, Counter errors, Timer duration) {}

  private final MeterRegistry registry;
  private final TopDestinations top;
  private final LongSupplier nanoClock;
  private final Map<String, Meters> meters = new HashMap<>();

  /**
   * @param k destinations with series of their own
   * @param interval how often the named set is re-ranked by recent traffic
   */
  public DestinationMetrics(MeterRegistry registry, int k, Duration interval, LongSupplier nanoClock) {
    this.registry = registry;
    this.top = new TopDestinations(k, interval.toNanos());
    this.nanoClock = nanoClock;
  }

  @Override
  public void requestCompleted(ExchangeRecord r) {
    String host = hostOf(r.target());
    if (host != null) {
      record(host, r.aborted() || r.status() == 0 || r.status() >= 500, r.durationNanos());
    }
  }

  @Override
  public void tunnelClosed(TunnelRecord t) {
    record(t.host().toLowerCase(Locale.ROOT), t.aborted(), -1);
  }

  /** One lock for the event loops: a few map operations per request. */
  private synchronized void record(String host, boolean failed, long durationNanos) {
    long now = nanoClock.getAsLong();
    if (top.due(now)) {
      for (String gone : top.rank(now).dropped()) {
        Meters m = meters.remove(gone);
        if (m != null) {
          registry.remove(m.requests());
          registry.remove(m.errors());
          registry.remove(m.duration());
        }
      }
    }
    Meters m = meters.computeIfAbsent(top.label(host, now), this::register);
    m.requests().increment();
    if (failed) {
      m.errors().increment();
    }
    if (durationNanos >= 0) {
      m.duration().record(durationNanos, TimeUnit.NANOSECONDS);
    }
  }

  private Meters register(String destination) {
    return new Meters(
        Counter.builder(REQUESTS).description("Requests and tunnels by destination host (the busiest; the rest: other)")
            .tag("destination", destination).register(registry),
        Counter.builder(ERRORS).description("Of those, the ones that failed (5xx, no response, cut)")
            .tag("destination", destination).register(registry),
        Timer.builder(DURATION).description("Request duration by destination host (the busiest; the rest: other)")
            .tag("destination", destination)
            .serviceLevelObjectives(Duration.ofMillis(10), Duration.ofMillis(50), Duration.ofMillis(250),
                Duration.ofSeconds(1), Duration.ofSeconds(5))
            .register(registry));
  }

  /** The host of an absolute-form or authority-form target, lower case; null for origin-form. */
  static String hostOf(String target) {
    int start = target.indexOf("://");
    String rest = start >= 0 ? target.substring(start + 3) : target;
    if (start < 0 && (target.startsWith("/") || target.equals("*") || target.equals("-"))) {
      return null;
    }
    int end = rest.length();
    for (int i = 0; i < rest.length(); i++) {
      char c = rest.charAt(i);
      if (c == '/' || c == '?' || c == '#') {
        end = i;
        break;
      }
    }
    String authority = rest.substring(0, end);
    authority = authority.substring(authority.lastIndexOf('@') + 1);
    String host;
    if (authority.startsWith("[")) {
      int close = authority.indexOf(']');
      host = close > 0 ? authority.substring(0, close + 1) : authority;
    } else {
      int colon = authority.indexOf(':');
      host = colon >= 0 ? authority.substring(0, colon) : authority;
    }
    return host.isEmpty() ? null : host.toLowerCase(Locale.ROOT);
  }
}
