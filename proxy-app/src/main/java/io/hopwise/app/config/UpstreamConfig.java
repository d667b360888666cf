package io.hopwise.app.config;

import static java.util.Objects.requireNonNullElse;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.hopwise.ProxyOptions;
import io.hopwise.http.Origin;
import java.time.Duration;

/**
 * {@code upstream:} the connections the proxy opens to origins.
 *
 * @param defaultUpstream YAML key {@code default}: where origin-form requests go (sidecar use);
 *     null refuses them with 400
 * @param pipelining requests in flight per upstream connection; 1 = no pipelining
 * @param caFile PEM certificates to trust for TLS to origins instead of the JDK's trust store
 */
public record UpstreamConfig(
    @JsonProperty("default") Origin defaultUpstream,
    int maxConnectionsPerOrigin,
    int maxWaitQueue,
    Duration connectTimeout,
    Duration responseTimeout,
    Duration idleTimeout,
    Duration maxLifetime,
    String caFile,
    int pipelining) {
  public static final UpstreamConfig DEFAULTS = of(null, null, null, null, null, null, null, null, null);

  /** Binds YAML: a missing (or null) key takes its default. */
  @JsonCreator
  public static UpstreamConfig of(
      @JsonProperty("default") Origin defaultUpstream,
      @JsonProperty("maxConnectionsPerOrigin") Integer maxConnectionsPerOrigin,
      @JsonProperty("maxWaitQueue") Integer maxWaitQueue,
      @JsonProperty("connectTimeout") Duration connectTimeout,
      @JsonProperty("responseTimeout") Duration responseTimeout,
      @JsonProperty("idleTimeout") Duration idleTimeout,
      @JsonProperty("maxLifetime") Duration maxLifetime,
      @JsonProperty("caFile") String caFile,
      @JsonProperty("pipelining") Integer pipelining) {
    return new UpstreamConfig(
        defaultUpstream,
        requireNonNullElse(maxConnectionsPerOrigin, ProxyOptions.DEFAULT_MAX_CONNECTIONS_PER_ORIGIN),
        requireNonNullElse(maxWaitQueue, ProxyOptions.DEFAULT_MAX_WAIT_QUEUE),
        requireNonNullElse(connectTimeout, ProxyOptions.DEFAULT_CONNECT_TIMEOUT),
        requireNonNullElse(responseTimeout, ProxyOptions.DEFAULT_RESPONSE_TIMEOUT),
        requireNonNullElse(idleTimeout, ProxyOptions.DEFAULT_POOL_IDLE_TIMEOUT),
        requireNonNullElse(maxLifetime, ProxyOptions.DEFAULT_POOL_MAX_LIFETIME),
        caFile,
        requireNonNullElse(pipelining, 1));
  }
}
