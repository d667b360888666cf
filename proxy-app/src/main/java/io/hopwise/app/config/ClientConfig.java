package io.hopwise.app.config;

import static java.util.Objects.requireNonNullElse;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.hopwise.ProxyOptions;
import java.time.Duration;

/** {@code client:} the connections clients open to the proxy. */
public record ClientConfig(Duration idleTimeout, Duration lingerTimeout, Duration headTimeout,
    boolean honorHttp10KeepAlive) {
  public static final ClientConfig DEFAULTS = of(null, null, null, null);

  /** Binds YAML: a missing (or null) key takes its default. */
  @JsonCreator
  public static ClientConfig of(
      @JsonProperty("idleTimeout") Duration idleTimeout,
      @JsonProperty("lingerTimeout") Duration lingerTimeout,
      @JsonProperty("headTimeout") Duration headTimeout,
      @JsonProperty("honorHttp10KeepAlive") Boolean honorHttp10KeepAlive) {
    return new ClientConfig(
        requireNonNullElse(idleTimeout, ProxyOptions.DEFAULT_CLIENT_IDLE_TIMEOUT),
        requireNonNullElse(lingerTimeout, ProxyOptions.DEFAULT_LINGER_TIMEOUT),
        requireNonNullElse(headTimeout, ProxyOptions.DEFAULT_HEAD_TIMEOUT),
        requireNonNullElse(honorHttp10KeepAlive, ProxyOptions.DEFAULTS.honorHttp10KeepAlive()));
  }
}
