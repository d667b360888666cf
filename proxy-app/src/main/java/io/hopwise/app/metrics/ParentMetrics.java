package io.hopwise.app.metrics;

import io.hopwise.ProxyListener;
import io.hopwise.UpstreamLeg;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * Per parent proxy (issue 27): requests and tunnels it carried, connections to it that failed
 * (and why: {@code connect}, {@code timeout}, or {@code reset}: a new connection reset before any
 * answer), and whether it is up. The {@code parent} label
 * takes only the names in the configuration, so the series are bounded by it.
 */
public final class ParentMetrics implements ProxyListener {
  static final String REQUESTS = "hopwise.parent.requests";
  static final String FAILURES = "hopwise.parent.failures";
  static final String UP = "hopwise.parent.up";

  private static final List<String> KINDS = List.of("request", "tunnel");
  private static final List<String> REASONS = List.of("connect", "timeout", "reset");

  private final MeterRegistry registry;
  private final Predicate<String> isUp;
  /** Per configured parent: its counters, by KINDS and by REASONS (looked up once per request or failure). */
  private final Map<String, Counter[]> requests = new ConcurrentHashMap<>();
  private final Map<String, Counter[]> failures = new ConcurrentHashMap<>();

  public ParentMetrics(MeterRegistry registry, Predicate<String> isUp) {
    this.registry = registry;
    this.isUp = isUp;
  }

  /** The parents of a configuration put in force: their series exist from now on, at 0 and up. */
  public void configured(List<String> parents) {
    for (String p : parents) {
      if (requests.containsKey(p)) {
        continue; // registered by an earlier configuration
      }
      Gauge.builder(UP, () -> isUp.test(p) ? 1 : 0).tag("parent", p)
          .description("1 while the parent proxy is used, 0 while it is skipped after a failed connection")
          .register(registry);
      failures.put(p, REASONS.stream().map(reason -> Counter.builder(FAILURES).tag("parent", p).tag("reason", reason)
          .description("Connections to the parent proxy that failed; it is then skipped for parents.downFor")
          .register(registry)).toArray(Counter[]::new));
      requests.put(p, KINDS.stream().map(kind -> Counter.builder(REQUESTS).tag("parent", p).tag("kind", kind)
          .description("Requests and tunnels carried through the parent proxy").register(registry)).toArray(Counter[]::new));
    }
  }

  @Override
  public void parentFailed(String parent, String reason) {
    Counter[] c = failures.get(parent);
    int i = REASONS.indexOf(reason);
    if (c != null && i >= 0) {
      c[i].increment();
    }
  }

  @Override
  public void requestCompleted(ExchangeRecord record) {
    count(record.upstreamLeg(), 0);
  }

  @Override
  public void tunnelClosed(TunnelRecord record) {
    count(record.upstreamLeg(), 1);
  }

  private void count(UpstreamLeg leg, int kind) {
    if (leg != null && leg.parent() != null) {
      Counter[] c = requests.get(leg.parent());
      if (c != null) {
        c[kind].increment();
      }
    }
  }
}
