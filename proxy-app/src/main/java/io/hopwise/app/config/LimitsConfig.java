package io.hopwise.app.config;

import static java.util.Objects.requireNonNullElse;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.hopwise.ProxyOptions;
import io.hopwise.http.HeadLimits;

/**
 * {@code limits:} sizes and counts a client may not exceed: the request head (414 / 431), the
 * request body (413), and concurrent connections (503). 0 means unlimited where allowed.
 */
public record LimitsConfig(int maxRequestLineBytes, int maxHeaderBytes, int maxFields,
    long maxRequestBodyBytes, int maxClientConnections, int maxConnectionsPerClient) {
  public static final LimitsConfig DEFAULTS = of(null, null, null, null, null, null);

  /** Binds YAML: a missing (or null) key takes its default. */
  @JsonCreator
  public static LimitsConfig of(
      @JsonProperty("maxRequestLineBytes") Integer maxRequestLineBytes,
      @JsonProperty("maxHeaderBytes") Integer maxHeaderBytes,
      @JsonProperty("maxFields") Integer maxFields,
      @JsonProperty("maxRequestBodyBytes") Long maxRequestBodyBytes,
      @JsonProperty("maxClientConnections") Integer maxClientConnections,
      @JsonProperty("maxConnectionsPerClient") Integer maxConnectionsPerClient) {
    HeadLimits d = HeadLimits.DEFAULT;
    return new LimitsConfig(
        requireNonNullElse(maxRequestLineBytes, d.maxRequestLineBytes()),
        requireNonNullElse(maxHeaderBytes, d.maxHeaderBytes()),
        requireNonNullElse(maxFields, d.maxFields()),
        requireNonNullElse(maxRequestBodyBytes, ProxyOptions.DEFAULTS.maxRequestBodyBytes()),
        requireNonNullElse(maxClientConnections, ProxyOptions.DEFAULTS.maxClientConnections()),
        requireNonNullElse(maxConnectionsPerClient, ProxyOptions.DEFAULTS.maxConnectionsPerClient()));
  }
}
