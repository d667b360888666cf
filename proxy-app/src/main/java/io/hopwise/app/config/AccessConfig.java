package io.hopwise.app.config;

import static java.util.Objects.requireNonNullElse;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.hopwise.ProxyOptions;
import io.hopwise.policy.PortRanges;
import io.hopwise.policy.ClientAccess;
import java.util.List;

/**
 * {@code access:} who may use the proxy and where it may connect (issue 5).
 *
 * @param clients CIDRs of allowed clients (default loopback only)
 * @param denyAction {@code respond} (403) or {@code close} for other clients
 * @param denyCidrs, allowCidrs, denyHosts, allowHosts destination rules on top of the defaults
 *     (link-local and cloud metadata denied)
 * @param ports if not empty, the only destination ports allowed (CONNECT also needs connect.ports)
 */
public record AccessConfig(List<String> clients, String denyAction, List<String> denyCidrs,
    List<String> allowCidrs, List<String> denyHosts, List<String> allowHosts, PortRanges ports) {
  public static final AccessConfig DEFAULTS = of(null, null, null, null, null, null, null);

  /** Binds YAML: a missing (or null) key takes its default. */
  @JsonCreator
  public static AccessConfig of(
      @JsonProperty("clients") List<String> clients,
      @JsonProperty("denyAction") String denyAction,
      @JsonProperty("denyCidrs") List<String> denyCidrs,
      @JsonProperty("allowCidrs") List<String> allowCidrs,
      @JsonProperty("denyHosts") List<String> denyHosts,
      @JsonProperty("allowHosts") List<String> allowHosts,
      @JsonProperty("ports") PortRanges ports) {
    return new AccessConfig(
        List.copyOf(requireNonNullElse(clients, ClientAccess.DEFAULT_ALLOW)),
        requireNonNullElse(denyAction, ProxyOptions.DEFAULTS.refuseClientsByClosing() ? "close" : "respond"),
        List.copyOf(requireNonNullElse(denyCidrs, List.of())),
        List.copyOf(requireNonNullElse(allowCidrs, List.of())),
        List.copyOf(requireNonNullElse(denyHosts, List.of())),
        List.copyOf(requireNonNullElse(allowHosts, List.of())),
        requireNonNullElse(ports, PortRanges.NONE));
  }
}
