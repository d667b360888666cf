package io.hopwise.policy;

import java.util.Arrays;

/**
 * An address block in CIDR notation (RFC 4632 3.1, RFC 4291 2.3): {@code 10.0.0.0/8},
 * {@code fe80::/10}. A bare address is a one-address block. Parsing is strict so that a config
 * line means exactly one thing: strict literals only (no {@code 010.0.0.0}), and no host bits set
 * ({@code 10.0.0.1/8} is refused rather than silently widened or narrowed).
 */
public final class Cidr {
  private final IpAddress network;
  private final byte[] bytes;
  private final int prefix;

  private Cidr(IpAddress network, int prefix) {
    this.network = network;
    this.bytes = network.bytes();
    this.prefix = prefix;
  }

  /** Parses {@code address[/prefix]}; throws {@link IllegalArgumentException} naming the problem. */
  public static Cidr parse(String text) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException("empty CIDR");
    }
    String s = text.strip();
    int slash = s.indexOf('/');
    String addressText = slash < 0 ? s : s.substring(0, slash);
    IpAddress address = IpAddress.parse(addressText).filter(a -> addressText.indexOf('%') < 0)
        .orElseThrow(() -> new IllegalArgumentException("not an IP address in CIDR '" + s + "'"));
    int max = address.isIpv4() ? 32 : 128;
    int prefix = max;
    if (slash >= 0) {
      String digits = s.substring(slash + 1);
      if (!IpAddress.allDigits(digits) || digits.length() > 3 || Integer.parseInt(digits) > max) {
        throw new IllegalArgumentException("prefix length must be 0-" + max + " in CIDR '" + s + "'");
      }
      prefix = Integer.parseInt(digits);
    }
    Cidr cidr = new Cidr(address, prefix);
    if (!Arrays.equals(cidr.bytes, mask(cidr.bytes, prefix))) {
      throw new IllegalArgumentException("host bits set in CIDR '" + s + "'; did you mean "
          + IpAddress.of(mask(cidr.bytes, prefix)) + "/" + prefix + "?");
    }
    return cidr;
  }

  /** A one-address block. */
  public static Cidr of(IpAddress address) {
    return new Cidr(address, address.isIpv4() ? 32 : 128);
  }

  /**
   * Whether the address (4 or 16 bytes) is in this block. Families must agree, except that an
   * IPv4 block also contains the IPv4-mapped IPv6 form of its addresses (RFC 4291 2.5.5.2), which
   * is how a dual-stack socket reports IPv4 peers.
   */
  public boolean contains(byte[] address) {
    return contains(IpAddress.of(address));
  }

  public boolean contains(IpAddress address) {
    IpAddress a = network.isIpv4() ? address.unmapped() : address;
    byte[] b = a.bytes();
    return b.length == bytes.length && Arrays.equals(mask(b, prefix), bytes);
  }

  public IpAddress network() {
    return network;
  }

  public int prefix() {
    return prefix;
  }

  private static byte[] mask(byte[] address, int prefix) {
    byte[] out = address.clone();
    for (int i = 0; i < out.length; i++) {
      int bits = Math.max(0, Math.min(8, prefix - 8 * i));
      out[i] &= (byte) (0xff00 >> bits);
    }
    return out;
  }

  @Override
  public String toString() {
    return network + "/" + prefix;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Cidr other && prefix == other.prefix && network.equals(other.network);
  }

  @Override
  public int hashCode() {
    return network.hashCode() * 31 + prefix;
  }
}
