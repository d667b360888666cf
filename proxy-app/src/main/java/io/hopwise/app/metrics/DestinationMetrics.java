package io.hopwise.app.metrics;

import io.hopwise.ProxyListener;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Requests, errors and latency per destination host, for the busiest destinations only
 * ({@link TopDestinations}: at most k named series per metric plus {@code other}), so that an
 * egress proxy's metrics stay bounded however many hosts its clients reach (issue 26). A tunnel
 * counts as a request to its host (an error if it was cut), without a latency (its life is not
 * one). What was answered or refused here never reached a destination: refusals are counted by
 * role instead ({@code hopwise_policy_denials_total}).
 */
public final class DestinationMetrics {
  static final String REQUESTS = "hopwise.destination.requests";
  static final String ERRORS = "hopwise.destination.errors";
  static final String DURATION = "hopwise.destination.duration";

  private record Meters(Counter requests, Counter errors, Timer duration) {}

  private final MeterRegistry registry;
  private final TopDestinations top;
  private final LongSupplier nanoClock;
  private final Map<String, Meters> meters = new ConcurrentHashMap<>();

  /**
   * @param k destinations with series of their own
   * @param interval how often the named set is re-ranked by recent traffic
   */
  public DestinationMetrics(MeterRegistry registry, int k, Duration interval, LongSupplier nanoClock) {
    this.registry = registry;
    this.top = new TopDestinations(k, interval.toNanos());
    this.nanoClock = nanoClock;
  }

  public void requestCompleted(ProxyListener.ExchangeRecord r) {
    if (r.upstream() == ProxyListener.UpstreamUse.NONE) {
      return; // answered or refused here: it never reached a destination
    }
    String host = hostOf(r.target());
    if (host != null) {
      record(host, r.aborted() || r.status() == 0 || r.status() >= 500, r.durationNanos());
    }
  }

  public void tunnelClosed(ProxyListener.TunnelRecord t) {
    record(t.host().toLowerCase(Locale.ROOT), t.aborted(), -1);
  }

  /**
   * Only the ranking's bookkeeping (a few map operations) is under the lock the event loops
   * share; the meters are updated outside it.
   */
  private void record(String host, boolean failed, long durationNanos) {
    long now = nanoClock.getAsLong();
    String label;
    synchronized (top) {
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
      label = top.label(host, now);
    }
    Meters m = meters.get(label);
    if (m == null) {
      m = meters.computeIfAbsent(label, this::register);
    }
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

  /**
   * The host of an absolute-form or authority-form target, lower case; null for origin-form.
   * Read in place: one string (the host) per request.
   */
  static String hostOf(String target) {
    if (target.isEmpty() || target.charAt(0) == '/' || target.equals("*") || target.equals("-")) {
      return null;
    }
    int scheme = target.indexOf("://");
    int start = scheme >= 0 ? scheme + 3 : 0;
    int end = target.length();
    for (int i = start; i < end; i++) {
      char c = target.charAt(i);
      if (c == '/' || c == '?' || c == '#') {
        end = i;
        break;
      }
      if (c == '@') {
        start = i + 1; // userinfo
      }
    }
    int hostEnd = end;
    if (start < end && target.charAt(start) == '[') {
      int close = target.indexOf(']', start);
      hostEnd = close > 0 && close < end ? close + 1 : end;
    } else {
      int colon = target.indexOf(':', start);
      if (colon >= 0 && colon < end) {
        hostEnd = colon;
      }
    }
    if (hostEnd <= start) {
      return null;
    }
    boolean upper = false;
    for (int i = start; i < hostEnd && !upper; i++) {
      char c = target.charAt(i);
      upper = c >= 'A' && c <= 'Z';
    }
    String host = target.substring(start, hostEnd);
    return upper ? host.toLowerCase(Locale.ROOT) : host;
  }
}
