package io.hopwise.app.config;

import static java.util.Objects.requireNonNullElse;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.hopwise.ProxyOptions;
import java.time.Duration;
import java.util.List;

/**
 * {@code connect:} CONNECT tunnels (HTTPS through the proxy), and WebSocket upgrades, which end in
 * the same kind of tunnel.
 */
public record ConnectConfig(List<Integer> ports, Duration idleTimeout, boolean websocket) {
  public static final ConnectConfig DEFAULTS = of(null, null, null);

  /** Binds YAML: a missing (or null) key takes its default. */
  @JsonCreator
  public static ConnectConfig of(
      @JsonProperty("ports") List<Integer> ports,
      @JsonProperty("idleTimeout") Duration idleTimeout,
      @JsonProperty("websocket") Boolean websocket) {
    return new ConnectConfig(
        List.copyOf(requireNonNullElse(ports, List.copyOf(ProxyOptions.DEFAULT_CONNECT_PORTS))),
        requireNonNullElse(idleTimeout, ProxyOptions.DEFAULT_TUNNEL_IDLE_TIMEOUT),
        requireNonNullElse(websocket, ProxyOptions.DEFAULTS.allowWebSocket()));
  }
}
