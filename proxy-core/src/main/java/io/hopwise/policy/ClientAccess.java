package io.hopwise.policy;

import java.util.Collection;
import java.util.List;

/**
 * Which clients may use the proxy: a CIDR allow-list (issue 5). The default is loopback only, so a
 * proxy started with no configuration is never an open relay; a deployment that serves other
 * hosts lists them. An empty list allows nobody; {@code 0.0.0.0/0} and {@code ::/0} allow all.
 *
 * <p>A dual-stack listener reports IPv4 peers as IPv4-mapped IPv6 ({@code ::ffff:10.1.2.3}); those
 * are unwrapped first (RFC 4291 2.5.5.2) so that IPv4 rules apply to them. Only mapped addresses
 * are unwrapped: other embeddings (NAT64, IPv4-compatible) name a different peer.
 */
public final class ClientAccess {
  public static final List<String> DEFAULT_ALLOW = List.of("127.0.0.0/8", "::1/128");

  private static final ClientAccess DEFAULT = of(DEFAULT_ALLOW);

  private final List<Cidr> allow;

  private ClientAccess(List<Cidr> allow) {
    this.allow = allow;
  }

  /** Loopback only. */
  public static ClientAccess defaults() {
    return DEFAULT;
  }

  /** From config; throws {@link IllegalArgumentException} naming a malformed CIDR. */
  public static ClientAccess of(Collection<String> cidrs) {
    return new ClientAccess(cidrs.stream().map(Cidr::parse).toList());
  }

  /** The peer address as 4 or 16 bytes, e.g. from {@code InetAddress.getAddress()}. */
  public boolean allows(byte[] clientAddress) {
    return allows(IpAddress.of(clientAddress));
  }

  /**
   * The peer address as text, as Vert.x's {@code SocketAddress.hostAddress()} gives it
   * ({@code 0:0:0:0:0:0:0:1}, {@code fe80:0:0:0:0:0:0:1%eth0}); anything unparseable is refused.
   */
  public boolean allows(String clientAddress) {
    return IpAddress.parse(clientAddress).map(this::allows).orElse(false);
  }

  public boolean allows(IpAddress clientAddress) {
    IpAddress a = clientAddress.unmapped();
    for (Cidr c : allow) {
      if (c.contains(a)) {
        return true;
      }
    }
    return false;
  }

  public List<Cidr> cidrs() {
    return allow;
  }
}
