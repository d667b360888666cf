package io.hopwise.policy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * An IPv4 (4 bytes) or IPv6 (16 bytes) address as a value. Parsing here is strict and never
 * touches DNS: {@link #parse} takes only the canonical literal forms (dotted-quad decimal without
 * leading zeros, RFC 4291 2.2 text for IPv6), which is what socket APIs hand us for peers and
 * what configuration should contain. The lenient spellings a URL host may use are
 * {@link HostSpelling}'s business.
 */
public final class IpAddress {
  private final byte[] bytes;

  private IpAddress(byte[] bytes) {
    this.bytes = bytes;
  }

  /** Wraps a copy of 4 or 16 bytes (as from {@code InetAddress.getAddress()}). */
  public static IpAddress of(byte[] address) {
    if (address == null || (address.length != 4 && address.length != 16)) {
      throw new IllegalArgumentException("an IP address has 4 or 16 bytes");
    }
    return new IpAddress(address.clone());
  }

  /**
   * Parses a strict literal: {@code 192.0.2.1}, {@code 2001:db8::1}, {@code ::ffff:192.0.2.1};
   * IPv6 may carry a zone ({@code fe80::1%eth0}, as Java prints link-local peers), which is
   * dropped because policy is about the address. Brackets are not accepted here.
   */
  public static Optional<IpAddress> parse(String literal) {
    if (literal == null) {
      return Optional.empty();
    }
    byte[] b = literal.indexOf(':') >= 0 ? parseIpv6(literal, true) : parseDottedQuad(literal);
    return Optional.ofNullable(b).map(IpAddress::new);
  }

  /** A copy of the 4 or 16 bytes. */
  public byte[] bytes() {
    return bytes.clone();
  }

  public boolean isIpv4() {
    return bytes.length == 4;
  }

  /** 127.0.0.0/8 or ::1 (RFC 1122 3.2.1.3, RFC 4291 2.5.3). */
  public boolean isLoopback() {
    return isIpv4() ? bytes[0] == 127 : isZeroUpTo(15) && bytes[15] == 1;
  }

  /** 0.0.0.0 or :: (RFC 4291 2.5.2); connecting to it reaches this host on Linux. */
  public boolean isUnspecified() {
    return isIpv4() ? isZero(0, 4) : isZero(0, 16);
  }

  /** The IPv4 address inside an IPv4-mapped IPv6 address {@code ::ffff:a.b.c.d} (RFC 4291 2.5.5.2). */
  public Optional<IpAddress> mappedIpv4() {
    if (!isIpv4() && isZeroUpTo(10) && bytes[10] == (byte) 0xff && bytes[11] == (byte) 0xff) {
      return Optional.of(new IpAddress(Arrays.copyOfRange(bytes, 12, 16)));
    }
    return Optional.empty();
  }

  /** The address itself, or the IPv4 address if this is IPv4-mapped: what a dual-stack socket reports. */
  public IpAddress unmapped() {
    return mappedIpv4().orElse(this);
  }

  /**
   * Every form under which traffic to this address may reach an IPv4 host: the address itself,
   * then the IPv4 address embedded by IPv4-mapped (RFC 4291 2.5.5.2), IPv4-compatible (RFC 4291
   * 2.5.5.1, deprecated but still routed by some stacks; ::/120, which holds {@code ::} and
   * {@code ::1}, excluded) or
   * the NAT64 well-known prefix 64:ff9b::/96 (RFC 6052 2.1). Deny rules match any form.
   */
  public List<IpAddress> forms() {
    List<IpAddress> forms = new ArrayList<>(2);
    forms.add(this);
    if (isIpv4()) {
      return forms;
    }
    boolean mapped = mappedIpv4().isPresent();
    boolean compatible = isZeroUpTo(12) && !isZero(12, 15);
    boolean nat64 = bytes[0] == 0 && bytes[1] == 0x64 && bytes[2] == (byte) 0xff && bytes[3] == (byte) 0x9b
        && isZero(4, 12);
    if (mapped || compatible || nat64) {
      forms.add(new IpAddress(Arrays.copyOfRange(bytes, 12, 16)));
    }
    return forms;
  }

  /** Dotted quad for IPv4; RFC 5952 text for IPv6 (lower case, longest zero run as ::). */
  @Override
  public String toString() {
    if (isIpv4()) {
      return (bytes[0] & 0xff) + "." + (bytes[1] & 0xff) + "." + (bytes[2] & 0xff) + "." + (bytes[3] & 0xff);
    }
    if (mappedIpv4().isPresent()) {
      return "::ffff:" + mappedIpv4().get(); // RFC 5952 5: the mixed notation is recommended here
    }
    int bestStart = -1;
    int bestLen = 1; // RFC 5952 4.2.2: a single 0 group is not shortened
    for (int i = 0; i < 8; i++) {
      int len = 0;
      while (i + len < 8 && group(i + len) == 0) {
        len++;
      }
      if (len > bestLen) {
        bestStart = i;
        bestLen = len;
      }
    }
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < 8; i++) {
      if (i == bestStart) {
        sb.append("::");
        i += bestLen - 1;
        continue;
      }
      if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
        sb.append(':');
      }
      sb.append(Integer.toHexString(group(i)));
    }
    return sb.toString();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof IpAddress other && Arrays.equals(bytes, other.bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  private int group(int i) {
    return ((bytes[2 * i] & 0xff) << 8) | (bytes[2 * i + 1] & 0xff);
  }

  private boolean isZeroUpTo(int end) {
    return isZero(0, end);
  }

  private boolean isZero(int from, int to) {
    for (int i = from; i < to; i++) {
      if (bytes[i] != 0) {
        return false;
      }
    }
    return true;
  }

  // ------------------------------------------------------------------ strict text forms

  /** a.b.c.d, each 0-255 in decimal without leading zeros (so nothing reads as octal). */
  static byte[] parseDottedQuad(String s) {
    // Scanned in place (no split: every client connection's address comes through here).
    byte[] b = new byte[4];
    int part = 0;
    int start = 0;
    for (int i = 0; i <= s.length(); i++) {
      if (i < s.length() && s.charAt(i) != '.') {
        continue;
      }
      int len = i - start;
      if (part == 4 || len == 0 || len > 3 || (len > 1 && s.charAt(start) == '0')) {
        return null;
      }
      int v = 0;
      for (int k = start; k < i; k++) {
        char c = s.charAt(k);
        if (c < '0' || c > '9') {
          return null;
        }
        v = v * 10 + (c - '0');
      }
      if (v > 255) {
        return null;
      }
      b[part++] = (byte) v;
      start = i + 1;
    }
    return part == 4 ? b : null;
  }

  /**
   * RFC 4291 2.2: up to 8 groups of 1-4 hex digits, at most one {@code ::}, optionally ending in a
   * dotted quad. A zone ({@code %eth0}, RFC 4007 11) is dropped when allowed.
   */
  static byte[] parseIpv6(String s, boolean allowZone) {
    int pct = s.indexOf('%');
    if (pct >= 0) {
      if (!allowZone || pct == s.length() - 1) {
        return null;
      }
      s = s.substring(0, pct);
    }
    byte[] tail4 = null;
    int lastColon = s.lastIndexOf(':');
    if (lastColon >= 0 && s.indexOf('.', lastColon) >= 0) {
      tail4 = parseDottedQuad(s.substring(lastColon + 1));
      if (tail4 == null) {
        return null;
      }
      // keep the colon(s) before the quad; a placeholder group count is added below
      s = s.substring(0, lastColon + 1) + "0:0";
    }
    int gap = s.indexOf("::");
    if (gap >= 0 && s.indexOf("::", gap + 1) >= 0) {
      return null;
    }
    List<String> head = groups(gap >= 0 ? s.substring(0, gap) : s);
    List<String> tail = gap >= 0 ? groups(s.substring(gap + 2)) : List.of();
    if (head == null || tail == null) {
      return null;
    }
    int count = head.size() + tail.size();
    if (gap < 0 ? count != 8 : count > 7) {
      return null;
    }
    byte[] b = new byte[16];
    int i = 0;
    for (String g : head) {
      i = putGroup(b, i, g);
    }
    i = 16 - 2 * tail.size();
    for (String g : tail) {
      i = putGroup(b, i, g);
    }
    if (tail4 != null) {
      System.arraycopy(tail4, 0, b, 12, 4);
    }
    return b;
  }

  /** Splits colon-separated hex groups; "" is no groups; null if any group is malformed. */
  private static List<String> groups(String s) {
    if (s.isEmpty()) {
      return List.of();
    }
    String[] parts = s.split(":", -1);
    for (String p : parts) {
      if (p.isEmpty() || p.length() > 4) {
        return null;
      }
      for (int i = 0; i < p.length(); i++) {
        if (!isHex(p.charAt(i))) {
          return null;
        }
      }
    }
    return List.of(parts);
  }

  private static int putGroup(byte[] b, int i, String g) {
    int v = Integer.parseInt(g, 16);
    b[i] = (byte) (v >> 8);
    b[i + 1] = (byte) v;
    return i + 2;
  }

  static boolean isHex(char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
  }

  static boolean allDigits(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return false;
      }
    }
    return !s.isEmpty();
  }
}
