package io.hopwise.options;

import static java.util.Objects.requireNonNullElse;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.hopwise.policy.PortRanges;
import io.hopwise.policy.SniCheck;
import java.time.Duration;

/**
 * {@code connect:} CONNECT tunnels (HTTPS through the proxy), and WebSocket upgrades, which end in
 * the same kind of tunnel.
 *
 * @param ports ports CONNECT may reach; others get 403
 * @param idleTimeout a tunnel with no bytes in either direction for this long is closed
 * @param websocket pass WebSocket upgrades through the forwarding path (sidecar use): on the
 *     origin's 101 both connections are joined. Off by default: Upgrade is hop-by-hop and stripped.
 * @param sniCheck whether a tunnel's TLS server name must fit its CONNECT ({@link SniCheck}):
 *     {@code report} by default (a mismatch is logged as report-deny and goes on), {@code enforce}
 *     closes it, {@code off} does not look
 */
public record ConnectOptions(PortRanges ports, Duration idleTimeout, boolean websocket, SniCheck.Mode sniCheck) {
  /**
   * CONNECT to 443 (TLS) and 80: Node's undici ProxyAgent and NODE_USE_ENV_PROXY tunnel even
   * http:// URLs through CONNECT host:80 (issue 26), and a tunnel to 80 carries what the forwarding
   * path carries there anyway. Other ports would make us a relay for anything (RFC 9110 9.3.6);
   * the destination rules apply to tunnels as to requests.
   */
  static final PortRanges DEFAULT_PORTS = PortRanges.of(80, 443);

  public static final ConnectOptions DEFAULTS = of(null, null, null, null);

  public ConnectOptions {
    java.util.Objects.requireNonNull(ports, "ports");
    Checks.positive("idleTimeout", idleTimeout);
    java.util.Objects.requireNonNull(sniCheck, "sniCheck");
  }

  /** Binds YAML: a missing (or null) key takes its default. */
  @JsonCreator
  public static ConnectOptions of(
      @JsonProperty("ports") PortRanges ports,
      @JsonProperty("idleTimeout") Duration idleTimeout,
      @JsonProperty("websocket") Boolean websocket,
      @JsonProperty("sniCheck") String sniCheck) {
    return new ConnectOptions(
        requireNonNullElse(ports, DEFAULT_PORTS),
        requireNonNullElse(idleTimeout, Duration.ofMinutes(5)),
        requireNonNullElse(websocket, false),
        SniCheck.Mode.parse(requireNonNullElse(sniCheck, "report")));
  }
}
