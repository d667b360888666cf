package io.hopwise.app.config;

import static java.util.Objects.requireNonNullElse;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * {@code metrics:} what the admin port's {@code /metrics} shows beyond the fixed meters.
 *
 * @param destinations destination hosts with series of their own (requests, errors, latency),
 *     the busiest by recent traffic, re-ranked every minute; the rest are {@code other}. 0: no
 *     per-destination series.
 */
public record MetricsConfig(int destinations) {
  public static final MetricsConfig DEFAULTS = of(null);

  public MetricsConfig {
    if (destinations < 0 || destinations > 1000) {
      throw new IllegalArgumentException("destinations must be 0-1000 (0 = none), got " + destinations);
    }
  }

  /** Binds YAML: a missing (or null) key takes its default. */
  @JsonCreator
  public static MetricsConfig of(@JsonProperty("destinations") Integer destinations) {
    return new MetricsConfig(requireNonNullElse(destinations, 50));
  }
}
