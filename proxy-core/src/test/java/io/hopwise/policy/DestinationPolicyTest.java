package io.hopwise.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The SSRF guard (issue 5). Every case asserts the exact decision: verdict and reason. The denied
 * loopback address 127.0.0.2 stands in for any denied address, as in the socket-level tests; the
 * link-local and metadata defaults are only ever tested here, without sockets.
 */
class DestinationPolicyTest {
  private static final byte[] LOOPBACK = {127, 0, 0, 1};

  /** Deny 127.0.0.2 and 10/8, allow (in vain) 10.1/16 and ok.blocked.example, and (successfully) 169.254.10/24. */
  private static final DestinationPolicy POLICY = DestinationPolicy.builder()
      .denyCidrs(List.of("127.0.0.2/32", "10.0.0.0/8"))
      .allowCidrs(List.of("10.1.0.0/16", "169.254.10.0/24"))
      .denyHosts(List.of("evil.example", "*.blocked.example", "192.0.2.99"))
      .allowHosts(List.of("ok.blocked.example"))
      .listenAddress(LOOPBACK, 3128)
      .build();

  private static final DestinationPolicy PORTS = DestinationPolicy.builder().allowedPorts(List.of(80, 443)).build();

  private static final DestinationPolicy WILDCARD = DestinationPolicy.builder()
      .listenAddress(new byte[4], 3128)
      .localAddresses(List.of(new byte[] {(byte) 192, (byte) 168, 1, 10}))
      .build();

  private static final DestinationPolicy ALLOW_METADATA_NAME = DestinationPolicy.builder()
      .allowHosts(List.of("metadata.google.internal"))
      .build();

  private static final DestinationPolicy DEFAULTS = DestinationPolicy.defaults();

  private static final Decision OK = Decision.ALLOW;

  private static Decision deny(String reason) {
    return Decision.deny(reason);
  }

  private static Arguments name(String caseName, DestinationPolicy p, String host, int port, Decision expected) {
    return Arguments.of(caseName, (Supplier<Decision>) () -> p.checkName(host, port), expected);
  }

  private static Arguments resolved(String caseName, DestinationPolicy p, String address, int port, Decision expected) {
    byte[] bytes = IpAddress.parse(address).orElseThrow().bytes();
    return Arguments.of(caseName, (Supplier<Decision>) () -> p.checkResolved(bytes, port), expected);
  }

  private static Decision denied127(String spelled) {
    return deny("destination 127.0.0.2 (spelled " + spelled + ") is denied by rule 127.0.0.2/32");
  }

  static Stream<Arguments> cases() {
    return Stream.of(
        // A denied loopback address and every way to spell it in a URL host.
        name("plain 127.0.0.2", POLICY, "127.0.0.2", 80, deny("destination 127.0.0.2 is denied by rule 127.0.0.2/32")),
        name("decimal", POLICY, "2130706434", 80, denied127("2130706434")),
        name("octal", POLICY, "0177.0.0.2", 80, denied127("0177.0.0.2")),
        name("hex", POLICY, "0x7f000002", 80, denied127("0x7f000002")),
        name("hex, upper case", POLICY, "0X7F000002", 80, denied127("0X7F000002")),
        name("hex first part", POLICY, "0x7f.0.0.2", 80, denied127("0x7f.0.0.2")),
        name("mixed octal and hex parts", POLICY, "0177.0.0x0.0x2", 80, denied127("0177.0.0x0.0x2")),
        name("one octal number", POLICY, "017700000002", 80, denied127("017700000002")),
        name("two parts", POLICY, "127.2", 80, denied127("127.2")),
        name("three parts", POLICY, "127.0.2", 80, denied127("127.0.2")),
        name("trailing dot", POLICY, "127.0.0.2.", 80, denied127("127.0.0.2.")),
        name("percent-encoded", POLICY, "%31%32%37.0.0.2", 80, denied127("%31%32%37.0.0.2")),
        name("mapped IPv6", POLICY, "[::ffff:127.0.0.2]", 80,
            deny("destination ::ffff:127.0.0.2 (spelled [::ffff:127.0.0.2]) is denied by rule 127.0.0.2/32")),
        name("mapped IPv6, hex groups, no brackets", POLICY, "::ffff:7f00:2", 80,
            deny("destination ::ffff:127.0.0.2 (spelled ::ffff:7f00:2) is denied by rule 127.0.0.2/32")),
        name("compatible IPv6", POLICY, "[::7f00:2]", 80,
            deny("destination ::7f00:2 (spelled [::7f00:2]) is denied by rule 127.0.0.2/32")),
        name("NAT64 IPv6", POLICY, "[64:ff9b::127.0.0.2]", 80,
            deny("destination 64:ff9b::7f00:2 (spelled [64:ff9b::127.0.0.2]) is denied by rule 127.0.0.2/32")),
        name("the neighbour is not denied", POLICY, "127.0.0.3", 80, OK),
        name("malformed address is not a name to look up", POLICY, "127.0.0.256", 80, deny("invalid host: malformed IPv4 address")),
        name("name ending in a number", POLICY, "foo.123", 80, deny("invalid host: malformed IPv4 address")),
        name("not a host name", POLICY, "exa mple.com", 80, deny("invalid host: not a valid host name")),
        name("empty host", POLICY, "", 80, deny("invalid host: empty host")),
        // Cloud metadata and link-local defaults (never tested with sockets).
        name("metadata address", POLICY, "169.254.169.254", 80,
            deny("destination 169.254.169.254 is denied by default rule 169.254.0.0/16")),
        name("metadata as one decimal (issue 5)", DEFAULTS, "2852039166", 80,
            deny("destination 169.254.169.254 (spelled 2852039166) is denied by default rule 169.254.0.0/16")),
        name("metadata in hex", DEFAULTS, "0xa9fea9fe", 80,
            deny("destination 169.254.169.254 (spelled 0xa9fea9fe) is denied by default rule 169.254.0.0/16")),
        name("metadata mapped", DEFAULTS, "[::ffff:169.254.169.254]", 80,
            deny("destination ::ffff:169.254.169.254 (spelled [::ffff:169.254.169.254]) is denied by default rule 169.254.0.0/16")),
        name("GCP metadata name", DEFAULTS, "metadata.google.internal", 80,
            deny("destination host metadata.google.internal is denied by default rule metadata.google.internal")),
        name("GCP metadata name, odd case and trailing dot", DEFAULTS, "METADATA.Google.Internal.", 80,
            deny("destination host metadata.google.internal is denied by default rule metadata.google.internal")),
        name("GCP metadata short domain", DEFAULTS, "metadata.goog", 80,
            deny("destination host metadata.goog is denied by default rule metadata.goog")),
        name("AWS metadata over IPv6", DEFAULTS, "[fd00:ec2::254]", 80,
            deny("destination fd00:ec2::254 (spelled [fd00:ec2::254]) is denied by default rule fd00:ec2::254/128")),
        name("AWS metadata over IPv6, unbracketed", DEFAULTS, "fd00:ec2::254", 80,
            deny("destination fd00:ec2::254 is denied by default rule fd00:ec2::254/128")),
        name("IPv6 link-local with zone", DEFAULTS, "[fe80::1%25eth0]", 80,
            deny("destination fe80::1 (spelled [fe80::1%25eth0]) is denied by default rule fe80::/10")),
        name("unspecified IPv4 reaches this host", DEFAULTS, "0", 80,
            deny("destination 0.0.0.0 (spelled 0) is denied by default rule 0.0.0.0/8")),
        name("unspecified IPv6", DEFAULTS, "[::]", 80, deny("destination :: (spelled [::]) is denied by default rule ::/128")),
        name("defaults do not deny loopback", DEFAULTS, "127.0.0.2", 80, OK),
        name("defaults allow ordinary names", DEFAULTS, "example.com", 80, OK),
        name("an allowed name is exempt from the default name rule", ALLOW_METADATA_NAME, "metadata.google.internal", 80, OK),
        resolved("but not from the default address rule", ALLOW_METADATA_NAME, "169.254.169.254", 80,
            deny("destination 169.254.169.254 is denied by default rule 169.254.0.0/16")),
        // Precedence: explicit deny > explicit allow > defaults > allow.
        name("explicit deny beats a more specific allow", POLICY, "10.1.2.3", 80,
            deny("destination 10.1.2.3 is denied by rule 10.0.0.0/8")),
        name("explicit allow beats the default deny", POLICY, "169.254.10.5", 80, OK),
        name("rest of link-local still denied", POLICY, "169.254.11.5", 80,
            deny("destination 169.254.11.5 is denied by default rule 169.254.0.0/16")),
        name("address as a deny host pattern", POLICY, "192.0.2.99", 80, deny("destination 192.0.2.99 is denied by rule 192.0.2.99/32")),
        name("address pattern's neighbour", POLICY, "192.0.2.98", 80, OK),
        // Host patterns.
        name("exact deny", POLICY, "evil.example", 80, deny("destination host evil.example is denied by rule evil.example")),
        name("exact deny, other case, trailing dot", POLICY, "EVIL.example.", 80,
            deny("destination host evil.example is denied by rule evil.example")),
        name("exact deny does not cover subdomains", POLICY, "www.evil.example", 80, OK),
        name("wildcard, one level", POLICY, "a.blocked.example", 80,
            deny("destination host a.blocked.example is denied by rule *.blocked.example")),
        name("wildcard, two levels", POLICY, "a.b.blocked.example", 443,
            deny("destination host a.b.blocked.example is denied by rule *.blocked.example")),
        name("wildcard does not cover its base", POLICY, "blocked.example", 80, OK),
        name("wildcard matches on label boundaries only", POLICY, "notblocked.example", 80, OK),
        name("an allow pattern does not beat a deny pattern", POLICY, "ok.blocked.example", 80,
            deny("destination host ok.blocked.example is denied by rule *.blocked.example")),
        // Ports.
        name("port 0", POLICY, "example.com", 0, deny("invalid port 0")),
        name("port above 65535", POLICY, "example.com", 65536, deny("invalid port 65536")),
        name("port not in the allow-list", PORTS, "example.com", 8080, deny("port 8080 is not allowed")),
        name("port in the allow-list", PORTS, "example.com", 443, OK),
        name("bad port is refused before the host is looked at", PORTS, "169.254.169.254", 22, deny("port 22 is not allowed")),
        resolved("resolved address on a refused port", PORTS, "93.184.216.34", 25, deny("port 25 is not allowed")),
        // After resolution: DNS rebinding, mapped addresses.
        resolved("name resolved to a denied address", POLICY, "127.0.0.2", 80, deny("destination 127.0.0.2 is denied by rule 127.0.0.2/32")),
        resolved("resolved to the mapped form", POLICY, "::ffff:127.0.0.2", 80,
            deny("destination ::ffff:127.0.0.2 is denied by rule 127.0.0.2/32")),
        resolved("rebinding to metadata", POLICY, "169.254.169.254", 443,
            deny("destination 169.254.169.254 is denied by default rule 169.254.0.0/16")),
        resolved("rebinding to metadata through NAT64", DEFAULTS, "64:ff9b::a9fe:a9fe", 80,
            deny("destination 64:ff9b::a9fe:a9fe is denied by default rule 169.254.0.0/16")),
        resolved("rebinding to AWS IPv6 metadata", DEFAULTS, "fd00:ec2::254", 80,
            deny("destination fd00:ec2::254 is denied by default rule fd00:ec2::254/128")),
        resolved("public address", POLICY, "93.184.216.34", 80, OK),
        resolved("public IPv6 address", POLICY, "2606:2800:220:1::248", 443, OK),
        // Our own listen addresses: a loop (508), whatever else is allowed.
        name("our address and port", POLICY, "127.0.0.1", 3128, Decision.loop("the target 127.0.0.1 port 3128 is this proxy")),
        name("our address spelled in hex", POLICY, "0x7f000001", 3128,
            Decision.loop("the target 127.0.0.1 (spelled 0x7f000001) port 3128 is this proxy")),
        resolved("our address, mapped", POLICY, "::ffff:127.0.0.1", 3128,
            Decision.loop("the target ::ffff:127.0.0.1 port 3128 is this proxy")),
        name("our address, another port", POLICY, "127.0.0.1", 8080, OK),
        name("another loopback address, our port, specific listen address", POLICY, "127.0.0.5", 3128, OK),
        resolved("wildcard listen: an interface address", WILDCARD, "192.168.1.10", 3128,
            Decision.loop("the target 192.168.1.10 port 3128 is this proxy")),
        resolved("wildcard listen: any loopback", WILDCARD, "127.0.0.5", 3128, Decision.loop("the target 127.0.0.5 port 3128 is this proxy")),
        resolved("wildcard listen: IPv6 loopback", WILDCARD, "::1", 3128, Decision.loop("the target ::1 port 3128 is this proxy")),
        resolved("wildcard listen: another host", WILDCARD, "192.168.1.11", 3128, OK),
        resolved("wildcard listen: our interface, another port", WILDCARD, "192.168.1.10", 80, OK));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void decides(String name, Supplier<Decision> actual, Decision expected) {
    assertEquals(expected, actual.get());
  }

  static Stream<Arguments> badConfig() {
    return Stream.of(
        Arguments.of("bad deny CIDR", (Runnable) () -> DestinationPolicy.builder().denyCidrs(List.of("10.0.0.0/40")),
            "prefix length must be 0-32 in CIDR '10.0.0.0/40'"),
        Arguments.of("bad allow CIDR", (Runnable) () -> DestinationPolicy.builder().allowCidrs(List.of("nope")),
            "not an IP address in CIDR 'nope'"),
        Arguments.of("wildcard in the middle", (Runnable) () -> DestinationPolicy.builder().denyHosts(List.of("a.*.example")),
            "host pattern must be a name, *.name or an address, got 'a.*.example'"),
        Arguments.of("bare wildcard", (Runnable) () -> DestinationPolicy.builder().allowHosts(List.of("*")),
            "host pattern must be a name, *.name or an address, got '*'"),
        Arguments.of("wildcard over an address", (Runnable) () -> DestinationPolicy.builder().denyHosts(List.of("*.10.0.0.1")),
            "host pattern must be a name, *.name or an address, got '*.10.0.0.1'"),
        Arguments.of("port 0", (Runnable) () -> DestinationPolicy.builder().allowedPorts(List.of(0)),
            "ports must be 1-65535 or ranges like 1024-65535, got '0'"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badConfig")
  void refusesBadConfig(String name, Runnable build, String message) {
    assertEquals(message, assertThrows(IllegalArgumentException.class, build::run).getMessage());
  }

  @Test
  void decisionStatuses() {
    assertEquals(List.of(0, 403, 508),
        List.of(Decision.ALLOW.status(), Decision.deny("x").status(), Decision.loop("y").status()));
  }
}
