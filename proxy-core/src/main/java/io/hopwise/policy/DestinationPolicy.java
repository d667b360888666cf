package io.hopwise.policy;

import io.hopwise.policy.HostSpelling.Host;
import io.hopwise.policy.HostSpelling.Invalid;
import io.hopwise.policy.HostSpelling.Name;
import io.hopwise.policy.HostSpelling.Numeric;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;

/**
 * Where the proxy may connect: the guard that keeps it from being an SSRF gadget (issue 5). Used
 * for forwarding and CONNECT alike, in two steps:
 * <ol>
 *   <li>{@link #checkName} before resolution: refuses bad ports and hosts, matches host patterns,
 *       and checks numeric spellings ({@code 0x7f000002}, {@code [::ffff:127.0.0.2]}, ...) as the
 *       addresses they are ({@link HostSpelling});
 *   <li>{@link #checkResolved} on every address actually connected to. This is what stops DNS
 *       rebinding: a name that passed step 1 may resolve anywhere, and only the address we connect
 *       to counts. Address rules match every form of it ({@link IpAddress#forms()}: IPv4-mapped,
 *       IPv4-compatible and NAT64 IPv6 addresses are checked as their IPv4 address too).
 * </ol>
 *
 * <p>Precedence, first match wins:
 * <ol>
 *   <li>invalid host or port, or a port outside {@code allowedPorts} (when that list is set): deny;
 *   <li>one of our own listen addresses and ports: loop (508, http-rules D2); nothing overrides it;
 *   <li>explicit deny (deny CIDRs, deny host patterns): deny;
 *   <li>explicit allow (allow CIDRs, allow host patterns): allow;
 *   <li>the default deny list ({@link #DEFAULT_DENY_CIDRS}, {@link #DEFAULT_DENY_HOSTS}): deny;
 *   <li>otherwise: allow.
 * </ol>
 * So an explicit deny always wins, and explicit allows exist to exempt something from the
 * defaults. Host patterns only ever match names (step 1); step 2 knows only the address, so to
 * reach a default-denied address an allow CIDR is needed, an allowed host name is not enough. A
 * host pattern that is itself an address ({@code 10.0.0.1}) is taken as a one-address CIDR.
 *
 * <p>Host patterns are {@code example.com} (that name) or {@code *.example.com} (any name below
 * it, at any depth, but not {@code example.com} itself). Names compare in canonical form: lower
 * case, no trailing dot.
 */
public final class DestinationPolicy {
  /**
   * Always denied unless allowed explicitly: link-local, where cloud metadata services live
   * (169.254.169.254 on AWS, GCP, Azure, OCI; RFC 3927, RFC 4291 2.5.6), the AWS metadata IPv6
   * address (a unique-local address, not link-local), and the unspecified addresses, which a Linux
   * connect() quietly turns into this host (RFC 1122 3.2.1.3, RFC 4291 2.5.2).
   */
  public static final List<Cidr> DEFAULT_DENY_CIDRS = List.of(
      Cidr.parse("169.254.0.0/16"),
      Cidr.parse("fe80::/10"),
      Cidr.parse("fd00:ec2::254/128"),
      Cidr.parse("0.0.0.0/8"),
      Cidr.parse("::/128"));

  /** The GCP metadata server's names; refused by name so the reason is clear before any lookup. */
  public static final List<String> DEFAULT_DENY_HOSTS = List.of("metadata.google.internal", "metadata.goog");

  private static final DestinationPolicy DEFAULTS = builder().build();

  private final List<Cidr> denyCidrs;
  private final List<Cidr> allowCidrs;
  private final List<String> denyHosts;
  private final List<String> allowHosts;
  private final PortRanges allowedPorts;
  private final List<Listen> listen;
  private final Set<IpAddress> localAddresses;

  private record Listen(IpAddress address, int port) {}

  private DestinationPolicy(Builder b) {
    denyCidrs = List.copyOf(b.denyCidrs);
    allowCidrs = List.copyOf(b.allowCidrs);
    denyHosts = List.copyOf(b.denyHosts);
    allowHosts = List.copyOf(b.allowHosts);
    allowedPorts = b.allowedPorts;
    listen = List.copyOf(b.listen);
    localAddresses = Set.copyOf(b.localAddresses);
  }

  /** Only the default deny list, any port, no listen addresses. */
  public static DestinationPolicy defaults() {
    return DEFAULTS;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Step 1, before resolution: the host as it appears in the request target. */
  public Decision checkName(String host, int port) {
    Decision portDecision = checkPort(port);
    if (!portDecision.allowed()) {
      return portDecision;
    }
    Host h = HostSpelling.classify(host);
    if (h instanceof Invalid invalid) {
      return Decision.deny("invalid host: " + invalid.reason());
    }
    if (h instanceof Numeric numeric) {
      String spelled = numeric.address().toString().equals(host) ? "" : " (spelled " + host + ")";
      return checkAddress(numeric.address(), port, spelled);
    }
    String name = ((Name) h).name();
    String rule = matching(denyHosts, name);
    if (rule != null) {
      return Decision.deny("destination host " + name + " is denied by rule " + rule);
    }
    if (matching(allowHosts, name) != null) {
      return Decision.ALLOW;
    }
    rule = matching(DEFAULT_DENY_HOSTS, name);
    if (rule != null) {
      return Decision.deny("destination host " + name + " is denied by default rule " + rule);
    }
    return Decision.ALLOW;
  }

  /** Step 2, on each resolved address just before connecting (4 or 16 bytes). */
  public Decision checkResolved(byte[] address, int port) {
    return checkResolved(IpAddress.of(address), port);
  }

  public Decision checkResolved(IpAddress address, int port) {
    Decision portDecision = checkPort(port);
    return portDecision.allowed() ? checkAddress(address, port, "") : portDecision;
  }

  private Decision checkPort(int port) {
    if (port < 1 || port > 65535) {
      return Decision.deny("invalid port " + port);
    }
    if (!allowedPorts.isEmpty() && !allowedPorts.contains(port)) {
      return Decision.deny("port " + port + " is not allowed");
    }
    return Decision.ALLOW;
  }

  private Decision checkAddress(IpAddress address, int port, String spelled) {
    List<IpAddress> forms = address.forms();
    String target = address + spelled;
    if (isOurs(forms, port)) {
      return Decision.loop("the target " + target + " port " + port + " is this proxy");
    }
    Cidr rule = matching(denyCidrs, forms);
    if (rule != null) {
      return Decision.deny("destination " + target + " is denied by rule " + rule);
    }
    if (matching(allowCidrs, forms) != null) {
      return Decision.ALLOW;
    }
    rule = matching(DEFAULT_DENY_CIDRS, forms);
    if (rule != null) {
      return Decision.deny("destination " + target + " is denied by default rule " + rule);
    }
    return Decision.ALLOW;
  }

  /** A listen address, or any local address when we listen on the wildcard address. */
  private boolean isOurs(List<IpAddress> forms, int port) {
    for (Listen l : listen) {
      if (l.port() != port) {
        continue;
      }
      for (IpAddress a : forms) {
        if (a.equals(l.address())
            || (l.address().isUnspecified() && (a.isLoopback() || a.isUnspecified() || localAddresses.contains(a)))) {
          return true;
        }
      }
    }
    return false;
  }

  private static Cidr matching(List<Cidr> cidrs, List<IpAddress> forms) {
    for (Cidr c : cidrs) {
      for (IpAddress a : forms) {
        if (c.contains(a)) {
          return c;
        }
      }
    }
    return null;
  }

  private static String matching(List<String> patterns, String name) {
    for (String p : patterns) {
      boolean match = p.startsWith("*.") ? name.endsWith(p.substring(1)) : name.equals(p);
      if (match) {
        return p;
      }
    }
    return null;
  }

  /** Collects config lists; every method throws {@link IllegalArgumentException} naming a bad value. */
  public static final class Builder {
    private final List<Cidr> denyCidrs = new ArrayList<>();
    private final List<Cidr> allowCidrs = new ArrayList<>();
    private final List<String> denyHosts = new ArrayList<>();
    private final List<String> allowHosts = new ArrayList<>();
    private PortRanges allowedPorts = PortRanges.NONE;
    private final List<Listen> listen = new ArrayList<>();
    private final List<IpAddress> localAddresses = new ArrayList<>();

    private Builder() {}

    public Builder denyCidrs(Collection<String> cidrs) {
      cidrs.forEach(c -> denyCidrs.add(Cidr.parse(c)));
      return this;
    }

    public Builder allowCidrs(Collection<String> cidrs) {
      cidrs.forEach(c -> allowCidrs.add(Cidr.parse(c)));
      return this;
    }

    /** {@code name}, {@code *.suffix}, or an address (then the same as a one-address CIDR). */
    public Builder denyHosts(Collection<String> patterns) {
      patterns.forEach(p -> addPattern(p, denyHosts, denyCidrs));
      return this;
    }

    public Builder allowHosts(Collection<String> patterns) {
      patterns.forEach(p -> addPattern(p, allowHosts, allowCidrs));
      return this;
    }

    /** Only these ports; none (the default) allows every port 1-65535. */
    public Builder allowedPorts(PortRanges ports) {
      allowedPorts = ports;
      return this;
    }

    /** The same from config values: ports, or ranges like {@code "1024-65535"}. */
    public Builder allowedPorts(Collection<?> ports) {
      return allowedPorts(PortRanges.of(ports));
    }

    /**
     * An address and port the proxy listens on. For a wildcard address (0.0.0.0 or ::), the
     * loopback addresses and every address given to {@link #localAddresses} count as ours.
     */
    public Builder listenAddress(byte[] address, int port) {
      listen.add(new Listen(IpAddress.of(address).unmapped(), port));
      return this;
    }

    /** This host's interface addresses (the caller enumerates them; this class does no I/O). */
    public Builder localAddresses(Collection<byte[]> addresses) {
      addresses.forEach(a -> localAddresses.add(IpAddress.of(a).unmapped()));
      return this;
    }

    public DestinationPolicy build() {
      return new DestinationPolicy(this);
    }

    private static void addPattern(String pattern, List<String> names, List<Cidr> cidrs) {
      String p = pattern == null ? "" : pattern.strip();
      boolean wildcard = p.startsWith("*.");
      Host h = HostSpelling.classify(wildcard ? p.substring(2) : p);
      if (h instanceof Name n) {
        names.add(wildcard ? "*." + n.name() : n.name());
      } else if (h instanceof Numeric num && !wildcard) {
        cidrs.add(Cidr.of(num.address().unmapped()));
      } else {
        throw new IllegalArgumentException("host pattern must be a name, *.name or an address, got '" + p + "'");
      }
    }
  }
}
