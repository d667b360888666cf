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
 * (and why: {@code connect} or {@code timeout}), and whether it is up. The {@code parent} label
 * takes only the names in the configuration, so the series are bounded by it.
 */
public final class ParentMetrics implements ProxyListener {
  static final String REQUESTS = "hopwise.parent.requests";
  static final String FAILURES = "hopwise.parent.failures";
  static final String UP = "hopwise.parent.up";

  private final MeterRegistry registry;
  private final Predicate<String> isUp;
  private final Map<String, Counter> requests = new ConcurrentHashMap<>();
  private final Map<String, Counter> failures = new ConcurrentHashMap<>();
  private final java.util.Set<String> known = ConcurrentHashMap.newKeySet();

  public ParentMetrics(MeterRegistry registry, Predicate<String> isUp) {
    this.registry = registry;
    this.isUp = isUp;
  }

  /** The parents of a configuration put in force: their series exist from now on, at 0 and up. */
  public void configured(List<String> parents) {
    for (String p : parents) {
      if (!known.add(p)) {
        continue; // registered by an earlier configuration
      }
      Gauge.builder(UP, () -> isUp.test(p) ? 1 : 0).tag("parent", p)
          .description("1 while the parent proxy is used, 0 while it is skipped after a failed connection")
          .register(registry);
      requests(p, "request");
      requests(p, "tunnel");
      for (String reason : List.of("connect", "timeout")) {
        failures.computeIfAbsent(p + "\0" + reason, k -> Counter.builder(FAILURES).tag("parent", p).tag("reason", reason)
            .description("Connections to the parent proxy that failed; it is then skipped for parents.downFor")
            .register(registry));
      }
    }
  }

  private Counter requests(String parent, String kind) {
    return requests.computeIfAbsent(parent + "\0" + kind, k -> Counter.builder(REQUESTS).tag("parent", parent)
        .tag("kind", kind).description("Requests and tunnels carried through the parent proxy").register(registry));
  }

  @Override
  public void parentFailed(String parent, String reason) {
    Counter c = failures.get(parent + "\0" + reason);
    if (c != null) {
      c.increment();
    }
  }

  @Override
  public void requestCompleted(ExchangeRecord record) {
    count(record.upstreamLeg(), "request");
  }

  @Override
  public void tunnelClosed(TunnelRecord record) {
    count(record.upstreamLeg(), "tunnel");
  }

  private void count(UpstreamLeg leg, String kind) {
    if (leg != null && leg.parent() != null) {
      Counter c = requests.get(leg.parent() + "\0" + kind);
      if (c != null) {
        c.increment();
      }
    }
  }
}
