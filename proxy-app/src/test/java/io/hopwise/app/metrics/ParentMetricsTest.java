package io.hopwise.app.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ParentMetricsTest {
  /**
   * Regression: a parent that reset a new connection (issue 28's failover fix) was marked down
   * but counted nowhere: the reason had no series, and the failure was dropped.
   */
  @ParameterizedTest(name = "reason {0}")
  @ValueSource(strings = {"connect", "timeout", "reset"})
  void everyReasonTheDialerGivesIsCounted(String reason) {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    ParentMetrics metrics = new ParentMetrics(registry, p -> true);
    metrics.configured(List.of("corp"));
    metrics.parentFailed("corp", reason);
    assertEquals(1.0, registry.get(ParentMetrics.FAILURES).tag("parent", "corp").tag("reason", reason).counter().count());
  }
}
