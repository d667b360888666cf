package io.hopwise.options;

import static java.util.Objects.requireNonNullElse;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.hopwise.http.HeadLimits;

/**
 * {@code limits:} sizes and counts a client may not exceed: the request head (414 / 431), the
 * request body (413), and concurrent connections (503). 0 means unlimited where allowed.
 *
 * @param maxRequestBodyBytes largest request body accepted (0 = unlimited); larger ones get 413
 * @param maxClientConnections concurrent client connections in all (0 = unlimited)
 * @param maxConnectionsPerClient concurrent connections from one client address (0 = unlimited)
 */
public record Limits(int maxRequestLineBytes, int maxHeaderBytes, int maxFields, long maxRequestBodyBytes,
    int maxClientConnections, int maxConnectionsPerClient) {
  public static final Limits DEFAULTS = of(null, null, null, null, null, null);

  public Limits {
    new HeadLimits(maxRequestLineBytes, maxHeaderBytes, maxFields); // checks its own ranges
    Checks.notNegative("maxRequestBodyBytes", maxRequestBodyBytes, " (0 = unlimited)");
    Checks.notNegative("maxClientConnections", maxClientConnections, " (0 = unlimited)");
    Checks.notNegative("maxConnectionsPerClient", maxConnectionsPerClient, " (0 = unlimited)");
  }

  /** Binds YAML: a missing (or null) key takes its default. */
  @JsonCreator
  public static Limits of(
      @JsonProperty("maxRequestLineBytes") Integer maxRequestLineBytes,
      @JsonProperty("maxHeaderBytes") Integer maxHeaderBytes,
      @JsonProperty("maxFields") Integer maxFields,
      @JsonProperty("maxRequestBodyBytes") Long maxRequestBodyBytes,
      @JsonProperty("maxClientConnections") Integer maxClientConnections,
      @JsonProperty("maxConnectionsPerClient") Integer maxConnectionsPerClient) {
    HeadLimits d = HeadLimits.DEFAULT;
    return new Limits(
        requireNonNullElse(maxRequestLineBytes, d.maxRequestLineBytes()),
        requireNonNullElse(maxHeaderBytes, d.maxHeaderBytes()),
        requireNonNullElse(maxFields, d.maxFields()),
        requireNonNullElse(maxRequestBodyBytes, 0L),
        requireNonNullElse(maxClientConnections, 10_000),
        requireNonNullElse(maxConnectionsPerClient, 0));
  }

  /** The request-head limits the parser applies. */
  public HeadLimits headLimits() {
    return new HeadLimits(maxRequestLineBytes, maxHeaderBytes, maxFields);
  }
}
