package io.hopwise.policy;

import java.util.Locale;
import java.util.Optional;

/**
 * What a URL host really names. A deny rule on {@code 127.0.0.2} is worthless if {@code 2130706434},
 * {@code 0177.0.0.2}, {@code 0x7f000002}, {@code 127.2} or {@code [::ffff:127.0.0.2]} slip past it:
 * BSD {@code inet_aton} (and so many resolvers) and the WHATWG URL standard's IPv4 parser (and so
 * every browser) read all of those as 127.0.0.2. So a host is classified as one of:
 * <ul>
 *   <li>{@link Numeric}: any spelling that either of those parsers takes as an address;
 *   <li>{@link Name}: a DNS name, canonical (percent-decoded, lower case, one trailing dot removed);
 *       resolve exactly this name, so that what was checked is what is resolved;
 *   <li>{@link Invalid}: neither, e.g. {@code 127.0.0.256} or {@code foo.123}, which the WHATWG
 *       parser refuses outright (a host whose last label is a number must be an IPv4 address).
 * </ul>
 * Pure text processing: no DNS, no {@code InetAddress.getByName}.
 */
public final class HostSpelling {
  /** RFC 1035 2.3.4: 253 characters in text form without the trailing dot. */
  static final int MAX_NAME_LENGTH = 253;

  private HostSpelling() {}

  /** The three kinds of host. */
  public sealed interface Host permits Numeric, Name, Invalid {}

  /** An address however spelled; {@code spelled} is the host as received, for messages. */
  public record Numeric(IpAddress address, String spelled) implements Host {}

  /** A DNS name in canonical form. */
  public record Name(String name) implements Host {}

  /** Neither an address nor a usable name. */
  public record Invalid(String reason) implements Host {}

  /** The address bytes if the host is any numeric spelling of an address, else empty. */
  public static Optional<byte[]> numericAddress(String host) {
    return classify(host) instanceof Numeric n ? Optional.of(n.address().bytes()) : Optional.empty();
  }

  /** Classifies a host as found in a request target or Host field (IPv6 with or without brackets). */
  public static Host classify(String host) {
    if (host == null || host.isEmpty()) {
      return new Invalid("empty host");
    }
    String h = host;
    if (h.startsWith("[") && h.endsWith("]")) {
      h = h.substring(1, h.length() - 1);
      if (h.indexOf(':') < 0) {
        return new Invalid("brackets around something that is not an IPv6 address");
      }
    }
    // RFC 3986 3.2.2 and WHATWG: a reg-name may be percent-encoded and is decoded before use;
    // RFC 6874 writes an IPv6 zone as %25, which decodes to the plain % the IPv6 parser expects.
    String decoded = percentDecode(h);
    if (decoded == null) {
      return new Invalid("bad percent-encoding in host");
    }
    if (decoded.indexOf(':') >= 0) {
      byte[] v6 = IpAddress.parseIpv6(decoded, true);
      return v6 == null ? new Invalid("malformed IPv6 address") : new Numeric(IpAddress.of(v6), host);
    }
    String name = decoded.toLowerCase(Locale.ROOT);
    if (name.endsWith(".")) {
      // An absolute name (RFC 1034 3.1); the WHATWG IPv4 parser also ignores one trailing dot.
      name = name.substring(0, name.length() - 1);
    }
    if (name.isEmpty()) {
      return new Invalid("empty host");
    }
    if (endsInANumber(name)) {
      byte[] v4 = parseInetAton(name);
      return v4 == null ? new Invalid("malformed IPv4 address") : new Numeric(IpAddress.of(v4), host);
    }
    return validName(name) ? new Name(name) : new Invalid("not a valid host name");
  }

  /**
   * WHATWG URL "ends in a number": the last label is all decimal digits or 0x-hex. Such a host is
   * parsed as IPv4 or refused, never looked up as a name.
   */
  private static boolean endsInANumber(String name) {
    String last = name.substring(name.lastIndexOf('.') + 1);
    if (IpAddress.allDigits(last)) {
      return true;
    }
    return last.startsWith("0x") && allHex(last.substring(2));
  }

  /**
   * inet_aton(3) / WHATWG IPv4 parser: one to four parts; each decimal, octal (leading 0) or hex
   * (0x, where a bare 0x is 0 as in WHATWG); the last part fills the remaining bytes ({@code 127.2}
   * is 127.0.0.2, {@code 2130706434} is 127.0.0.2), earlier parts are one byte each.
   */
  static byte[] parseInetAton(String s) {
    String[] parts = s.split("\\.", -1);
    if (parts.length > 4) {
      return null;
    }
    long[] values = new long[parts.length];
    for (int i = 0; i < parts.length; i++) {
      long v = parsePart(parts[i]);
      if (v < 0 || (i < parts.length - 1 && v > 0xff)) {
        return null;
      }
      values[i] = v;
    }
    int lastBytes = 5 - parts.length;
    long last = values[parts.length - 1];
    if (last >= (1L << (8 * lastBytes))) {
      return null;
    }
    byte[] b = new byte[4];
    for (int i = 0; i < parts.length - 1; i++) {
      b[i] = (byte) values[i];
    }
    for (int i = 0; i < lastBytes; i++) {
      b[3 - i] = (byte) (last >>> (8 * i));
    }
    return b;
  }

  /** One part as a non-negative value, or -1 if malformed or above 32 bits. */
  private static long parsePart(String p) {
    int radix = 10;
    String digits = p;
    if (p.startsWith("0x") || p.startsWith("0X")) {
      radix = 16;
      digits = p.substring(2);
      if (digits.isEmpty()) {
        return 0;
      }
    } else if (p.length() > 1 && p.charAt(0) == '0') {
      radix = 8;
      digits = p.substring(1);
    }
    if (p.isEmpty()) {
      return -1;
    }
    long v = 0;
    for (int i = 0; i < digits.length(); i++) {
      char c = digits.charAt(i);
      int d = IpAddress.isHex(c) ? Character.digit(c, 16) : -1;
      if (d < 0 || d >= radix) {
        return -1;
      }
      v = v * radix + d;
      if (v > 0xffffffffL) {
        return -1;
      }
    }
    return v;
  }

  /** RFC 1123 2.1 labels, plus '_' which real zones use (SRV, DKIM); 1-63 characters each. */
  private static boolean validName(String name) {
    if (name.length() > MAX_NAME_LENGTH) {
      return false;
    }
    for (String label : name.split("\\.", -1)) {
      if (label.isEmpty() || label.length() > 63 || label.startsWith("-") || label.endsWith("-")) {
        return false;
      }
      for (int i = 0; i < label.length(); i++) {
        char c = label.charAt(i);
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_')) {
          return false;
        }
      }
    }
    return true;
  }

  /** Decodes %HH to ASCII; null on a malformed escape or a decoded byte outside ASCII. */
  private static String percentDecode(String s) {
    if (s.indexOf('%') < 0) {
      return s;
    }
    StringBuilder sb = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c != '%') {
        sb.append(c);
        continue;
      }
      if (i + 2 >= s.length() || !IpAddress.isHex(s.charAt(i + 1)) || !IpAddress.isHex(s.charAt(i + 2))) {
        return null;
      }
      int v = Integer.parseInt(s.substring(i + 1, i + 3), 16);
      if (v == 0 || v > 0x7f) {
        return null; // a NUL or a UTF-8 byte: we do no IDNA here, clients send punycode
      }
      sb.append((char) v);
      i += 2;
    }
    return sb.toString();
  }

  private static boolean allHex(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (!IpAddress.isHex(s.charAt(i))) {
        return false;
      }
    }
    return true;
  }
}
