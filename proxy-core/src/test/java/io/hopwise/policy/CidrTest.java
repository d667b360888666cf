package io.hopwise.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class CidrTest {
  static Stream<Arguments> valid() {
    return Stream.of(
        Arguments.of("IPv4 /8", "10.0.0.0/8", "10.0.0.0/8"),
        Arguments.of("bare IPv4 is /32", "192.0.2.7", "192.0.2.7/32"),
        Arguments.of("everything IPv4", "0.0.0.0/0", "0.0.0.0/0"),
        Arguments.of("IPv6 /10", "fe80::/10", "fe80::/10"),
        Arguments.of("IPv6 host, canonical text", "FD00:EC2:0::254/128", "fd00:ec2::254/128"),
        Arguments.of("bare IPv6 is /128", "::1", "::1/128"),
        Arguments.of("surrounding whitespace", " 10.1.0.0/16 ", "10.1.0.0/16"),
        Arguments.of("odd prefix", "172.16.0.0/12", "172.16.0.0/12"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("valid")
  void parses(String name, String text, String expected) {
    assertEquals(expected, Cidr.parse(text).toString());
  }

  static Stream<Arguments> invalid() {
    return Stream.of(
        Arguments.of("empty", "", "empty CIDR"),
        Arguments.of("name", "example.com/8", "not an IP address in CIDR 'example.com/8'"),
        Arguments.of("octal-looking address", "010.0.0.0/8", "not an IP address in CIDR '010.0.0.0/8'"),
        Arguments.of("zone", "fe80::%eth0/10", "not an IP address in CIDR 'fe80::%eth0/10'"),
        Arguments.of("IPv4 prefix too long", "10.0.0.0/33", "prefix length must be 0-32 in CIDR '10.0.0.0/33'"),
        Arguments.of("IPv6 prefix too long", "::/129", "prefix length must be 0-128 in CIDR '::/129'"),
        Arguments.of("signed prefix", "10.0.0.0/+8", "prefix length must be 0-32 in CIDR '10.0.0.0/+8'"),
        Arguments.of("empty prefix", "10.0.0.0/", "prefix length must be 0-32 in CIDR '10.0.0.0/'"),
        Arguments.of("host bits set", "10.0.0.1/8", "host bits set in CIDR '10.0.0.1/8'; did you mean 10.0.0.0/8?"),
        Arguments.of("IPv6 host bits set", "fe80::1/10", "host bits set in CIDR 'fe80::1/10'; did you mean fe80::/10?"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalid")
  void refuses(String name, String text, String message) {
    assertEquals(message, assertThrows(IllegalArgumentException.class, () -> Cidr.parse(text)).getMessage());
  }

  static Stream<Arguments> membership() {
    return Stream.of(
        Arguments.of("inside /8", "10.0.0.0/8", "10.255.1.2", true),
        Arguments.of("just outside /8", "10.0.0.0/8", "11.0.0.0", false),
        Arguments.of("/12 upper edge", "172.16.0.0/12", "172.31.255.255", true),
        Arguments.of("/12 past the edge", "172.16.0.0/12", "172.32.0.0", false),
        Arguments.of("/32 exact", "127.0.0.2/32", "127.0.0.2", true),
        Arguments.of("/32 neighbour", "127.0.0.2/32", "127.0.0.3", false),
        Arguments.of("/0 holds all IPv4", "0.0.0.0/0", "203.0.113.9", true),
        Arguments.of("/0 IPv4 does not hold IPv6", "0.0.0.0/0", "2001:db8::1", false),
        Arguments.of("IPv4 block holds the mapped form", "127.0.0.2/32", "::ffff:127.0.0.2", true),
        Arguments.of("IPv4 block does not hold the compatible form", "127.0.0.2/32", "::7f00:2", false),
        Arguments.of("IPv6 /10", "fe80::/10", "febf:ffff::1", true),
        Arguments.of("IPv6 /10 past the edge", "fe80::/10", "fec0::1", false),
        Arguments.of("IPv6 block does not hold IPv4", "::/0", "10.0.0.1", false));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("membership")
  void contains(String name, String cidr, String address, boolean expected) {
    assertEquals(expected, Cidr.parse(cidr).contains(IpAddress.parse(address).orElseThrow().bytes()));
  }
}
