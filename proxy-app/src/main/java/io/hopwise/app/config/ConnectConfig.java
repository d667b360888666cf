package io.hopwise.app.config;

import static java.util.Objects.requireNonNullElse;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.hopwise.ProxyOptions;
import io.hopwise.policy.PortRanges;
import java.time.Duration;

/**
 * {@code connect:} CONNECT tunnels (HTTPS through the proxy), and WebSocket upgrades, which end in
 * the same kind of tunnel.
 */
public record ConnectConfig(PortRanges ports, Duration idleTimeout, boolean websocket) {
  public static final ConnectConfig DEFAULTS = of(null, null, null);

  /** Binds YAML: a missing (or null) key takes its default. */
  @JsonCreator
  public static ConnectConfig of(
      @JsonProperty("ports") PortRanges ports,
      @JsonProperty("idleTimeout") Duration idleTimeout,
      @JsonProperty("websocket") Boolean websocket) {
    return new ConnectConfig(
        requireNonNullElse(ports, ProxyOptions.DEFAULT_CONNECT_PORTS),
        requireNonNullElse(idleTimeout, ProxyOptions.DEFAULT_TUNNEL_IDLE_TIMEOUT),
        requireNonNullElse(websocket, ProxyOptions.DEFAULTS.allowWebSocket()));
  }
}
