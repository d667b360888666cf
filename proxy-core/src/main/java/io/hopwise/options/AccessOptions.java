package io.hopwise.options;

import static java.util.Objects.requireNonNullElse;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.hopwise.policy.ClientAccess;
import io.hopwise.policy.DestinationPolicy;
import io.hopwise.policy.PortRanges;
import java.util.List;

/**
 * {@code access:} who may use the proxy and where it may connect (issue 5).
 *
 * @param clients CIDRs of allowed clients (default loopback only)
 * @param denyAction {@code respond} (403) or {@code close} for other clients
 * @param denyCidrs and {@code allowCidrs}, {@code denyHosts}, {@code allowHosts}: CIDRs and host
 *     patterns ({@code example.com}, {@code *.example.com}) to deny or allow on top of the
 *     defaults (link-local and cloud metadata denied). Checked by name and again on the resolved
 *     address, for forwarding and CONNECT alike.
 * @param ports if not empty, the only destination ports allowed (CONNECT also needs connect.ports)
 */
public record AccessOptions(List<String> clients, String denyAction, List<String> denyCidrs,
    List<String> allowCidrs, List<String> denyHosts, List<String> allowHosts, PortRanges ports) {
  public static final AccessOptions DEFAULTS = of(null, null, null, null, null, null, null);

  public AccessOptions {
    clients = List.copyOf(clients);
    denyCidrs = List.copyOf(denyCidrs);
    allowCidrs = List.copyOf(allowCidrs);
    denyHosts = List.copyOf(denyHosts);
    allowHosts = List.copyOf(allowHosts);
    java.util.Objects.requireNonNull(ports, "ports");
    if (!denyAction.equals("respond") && !denyAction.equals("close")) {
      throw new IllegalArgumentException("denyAction must be respond or close, got '" + denyAction + "'");
    }
    ClientAccess.of(clients); // both check their lists now, not at the first connection
    destinations(denyCidrs, allowCidrs, denyHosts, allowHosts, ports).build();
  }

  /** Binds YAML: a missing (or null) key takes its default. */
  @JsonCreator
  public static AccessOptions of(
      @JsonProperty("clients") List<String> clients,
      @JsonProperty("denyAction") String denyAction,
      @JsonProperty("denyCidrs") List<String> denyCidrs,
      @JsonProperty("allowCidrs") List<String> allowCidrs,
      @JsonProperty("denyHosts") List<String> denyHosts,
      @JsonProperty("allowHosts") List<String> allowHosts,
      @JsonProperty("ports") PortRanges ports) {
    return new AccessOptions(
        requireNonNullElse(clients, ClientAccess.DEFAULT_ALLOW),
        requireNonNullElse(denyAction, "respond"),
        requireNonNullElse(denyCidrs, List.of()),
        requireNonNullElse(allowCidrs, List.of()),
        requireNonNullElse(denyHosts, List.of()),
        requireNonNullElse(allowHosts, List.of()),
        requireNonNullElse(ports, PortRanges.NONE));
  }

  /** Others are refused with 403, or, with {@code denyAction: close}, their connection is closed. */
  public boolean refuseClientsByClosing() {
    return denyAction.equals("close");
  }

  /** Client addresses allowed to use the proxy. */
  public ClientAccess clientAccess() {
    return ClientAccess.of(clients);
  }

  /** The destination rules, ready to build (the proxy adds its own listen address first). */
  public DestinationPolicy.Builder destinationPolicy() {
    return destinations(denyCidrs, allowCidrs, denyHosts, allowHosts, ports);
  }

  private static DestinationPolicy.Builder destinations(List<String> denyCidrs, List<String> allowCidrs,
      List<String> denyHosts, List<String> allowHosts, PortRanges ports) {
    var b = DestinationPolicy.builder().denyCidrs(denyCidrs).allowCidrs(allowCidrs).denyHosts(denyHosts)
        .allowHosts(allowHosts);
    if (!ports.isEmpty()) {
      b.allowedPorts(ports);
    }
    return b;
  }
}
