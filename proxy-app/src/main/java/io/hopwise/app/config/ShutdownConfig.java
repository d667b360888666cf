package io.hopwise.app.config;

import static java.util.Objects.requireNonNullElse;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Duration;

/**
 * {@code shutdown:} graceful drain on SIGTERM / SIGINT. {@code /readyz} turns 503 at once; after
 * {@code delay} (time for Kubernetes to take the pod out of its endpoints) the proxy stops
 * accepting; requests and tunnels in progress get up to {@code drainTimeout} to finish.
 */
public record ShutdownConfig(Duration delay, Duration drainTimeout) {
  public static final Duration DEFAULT_DELAY = Duration.ofSeconds(5);
  public static final Duration DEFAULT_DRAIN_TIMEOUT = Duration.ofSeconds(20);
  public static final ShutdownConfig DEFAULTS = of(null, null);

  /** Binds YAML: a missing (or null) key takes its default. */
  @JsonCreator
  public static ShutdownConfig of(
      @JsonProperty("delay") Duration delay,
      @JsonProperty("drainTimeout") Duration drainTimeout) {
    return new ShutdownConfig(requireNonNullElse(delay, DEFAULT_DELAY),
        requireNonNullElse(drainTimeout, DEFAULT_DRAIN_TIMEOUT));
  }
}
