package io.hopwise.options;

import static java.util.Objects.requireNonNullElse;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Duration;

/**
 * {@code client:} the connections clients open to the proxy.
 *
 * @param idleTimeout an idle keep-alive connection is closed after this long between requests
 * @param lingerTimeout how long a closing connection keeps draining input after our last byte
 *     (graceful close, RFC 9112 9.6)
 * @param headTimeout from the first byte of a request head to its end; slower clients get 408
 *     (slowloris)
 * @param honorHttp10KeepAlive keep an HTTP/1.0 client's connection when it asks with
 *     {@code Connection: keep-alive}. Off by default: RFC 9112 9.3 warns that a dumb proxy in
 *     front of us may have forwarded that header.
 */
public record ClientOptions(Duration idleTimeout, Duration lingerTimeout, Duration headTimeout,
    boolean honorHttp10KeepAlive) {
  public static final ClientOptions DEFAULTS = of(null, null, null, null);

  public ClientOptions {
    Checks.positive("idleTimeout", idleTimeout);
    Checks.positive("lingerTimeout", lingerTimeout);
    Checks.positive("headTimeout", headTimeout);
  }

  /** Binds YAML: a missing (or null) key takes its default. */
  @JsonCreator
  public static ClientOptions of(
      @JsonProperty("idleTimeout") Duration idleTimeout,
      @JsonProperty("lingerTimeout") Duration lingerTimeout,
      @JsonProperty("headTimeout") Duration headTimeout,
      @JsonProperty("honorHttp10KeepAlive") Boolean honorHttp10KeepAlive) {
    return new ClientOptions(
        requireNonNullElse(idleTimeout, Duration.ofSeconds(60)),
        requireNonNullElse(lingerTimeout, Duration.ofSeconds(2)),
        requireNonNullElse(headTimeout, Duration.ofSeconds(10)),
        requireNonNullElse(honorHttp10KeepAlive, false));
  }
}
