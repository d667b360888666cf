package io.hopwise.policy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Strict literal parsing, RFC 5952 text, and the embedded-IPv4 forms deny rules must see. */
class IpAddressTest {
  static Stream<Arguments> literals() {
    return Stream.of(
        Arguments.of("dotted quad", "192.0.2.1", "192.0.2.1"),
        Arguments.of("all zero", "0.0.0.0", "0.0.0.0"),
        Arguments.of("broadcast", "255.255.255.255", "255.255.255.255"),
        Arguments.of("octet above 255", "256.0.0.1", null),
        Arguments.of("leading zero would be octal elsewhere", "01.2.3.4", null),
        Arguments.of("three parts are not strict", "1.2.3", null),
        Arguments.of("trailing dot", "1.2.3.4.", null),
        Arguments.of("leading dot", ".1.2.3", null),
        Arguments.of("empty part", "1..2.3", null),
        Arguments.of("five parts", "1.2.3.4.5", null),
        Arguments.of("four-digit part", "1.2.3.0004", null),
        Arguments.of("sign", "1.2.3.+4", null),
        Arguments.of("one decimal number is not strict", "2130706434", null),
        Arguments.of("hex part", "0x7f.0.0.1", null),
        Arguments.of("fullwidth digits", "\uff11.2.3.4", null),
        Arguments.of("empty", "", null),
        Arguments.of("name", "localhost", null),
        Arguments.of("unspecified IPv6", "::", "::"),
        Arguments.of("loopback IPv6", "::1", "::1"),
        Arguments.of("Java's long form", "0:0:0:0:0:0:0:1", "::1"),
        Arguments.of("upper case, first of two equal zero runs compressed (RFC 5952 4.2.3)", "2001:DB8:0:0:1:0:0:1", "2001:db8::1:0:0:1"),
        Arguments.of("longest zero run compressed (RFC 5952 4.2.3)", "2001:0:0:1:0:0:0:1", "2001:0:0:1::1"),
        Arguments.of("single zero group not compressed (RFC 5952 4.2.2)", "2001:db8:0:1:1:1:1:1", "2001:db8:0:1:1:1:1:1"),
        Arguments.of("leading zeros in groups dropped", "2001:0db8::0001", "2001:db8::1"),
        Arguments.of("trailing gap", "1:2:3:4:5:6:7::", "1:2:3:4:5:6:7:0"),
        Arguments.of("mapped, mixed notation", "::ffff:192.0.2.1", "::ffff:192.0.2.1"),
        Arguments.of("mapped, hex notation", "::ffff:c000:201", "::ffff:192.0.2.1"),
        Arguments.of("compatible, dotted tail", "::1.2.3.4", "::102:304"),
        Arguments.of("full form with dotted tail", "1:2:3:4:5:6:1.2.3.4", "1:2:3:4:5:6:102:304"),
        Arguments.of("zone dropped", "fe80::1%eth0", "fe80::1"),
        Arguments.of("empty zone", "fe80::1%", null),
        Arguments.of("nine groups", "1:2:3:4:5:6:7:8:9", null),
        Arguments.of("seven groups, no gap", "1:2:3:4:5:6:7", null),
        Arguments.of("eight groups and a gap", "1:2:3:4::5:6:7:8", null),
        Arguments.of("two gaps", "1::2::3", null),
        Arguments.of("triple colon", ":::", null),
        Arguments.of("five hex digits", "12345::", null),
        Arguments.of("single leading colon", ":1::", null),
        Arguments.of("non-hex group", "::g", null),
        Arguments.of("short dotted tail", "::ffff:1.2.3", null),
        Arguments.of("octal dotted tail", "::ffff:01.2.3.4", null),
        Arguments.of("dotted tail not last", "::1.2.3.4:1", null),
        Arguments.of("brackets are the URL's, not the address's", "[::1]", null));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("literals")
  void parsesStrictLiterals(String name, String literal, String expected) {
    assertEquals(expected, IpAddress.parse(literal).map(IpAddress::toString).orElse(null));
  }

  static Stream<Arguments> forms() {
    return Stream.of(
        Arguments.of("IPv4 is itself", "10.0.0.1", List.of("10.0.0.1")),
        Arguments.of("mapped", "::ffff:127.0.0.2", List.of("::ffff:127.0.0.2", "127.0.0.2")),
        Arguments.of("compatible", "::7f00:2", List.of("::7f00:2", "127.0.0.2")),
        Arguments.of("NAT64 well-known prefix", "64:ff9b::a9fe:a9fe", List.of("64:ff9b::a9fe:a9fe", "169.254.169.254")),
        Arguments.of("NAT64 look-alike outside the /96", "64:ff9b:1::a9fe:a9fe", List.of("64:ff9b:1::a9fe:a9fe")),
        Arguments.of("::1 is loopback, not 0.0.0.1", "::1", List.of("::1")),
        Arguments.of(":: is unspecified, not 0.0.0.0", "::", List.of("::")),
        Arguments.of("global IPv6", "2001:db8::7f00:2", List.of("2001:db8::7f00:2")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("forms")
  void listsEmbeddedIpv4(String name, String literal, List<String> expected) {
    assertEquals(expected, IpAddress.parse(literal).orElseThrow().forms().stream().map(IpAddress::toString).toList());
  }

  static Stream<Arguments> kinds() {
    return Stream.of(
        Arguments.of("127.0.0.1", true, false, "127.0.0.1"),
        Arguments.of("127.255.255.254", true, false, "127.255.255.254"),
        Arguments.of("::1", true, false, "::1"),
        Arguments.of("::2", false, false, "::2"),
        Arguments.of("0.0.0.0", false, true, "0.0.0.0"),
        Arguments.of("::", false, true, "::"),
        Arguments.of("::ffff:127.0.0.1", false, false, "127.0.0.1"),
        Arguments.of("10.0.0.1", false, false, "10.0.0.1"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("kinds")
  void knowsLoopbackUnspecifiedAndUnmaps(String literal, boolean loopback, boolean unspecified, String unmapped) {
    IpAddress a = IpAddress.parse(literal).orElseThrow();
    assertEquals(loopback, a.isLoopback(), "loopback");
    assertEquals(unspecified, a.isUnspecified(), "unspecified");
    assertEquals(unmapped, a.unmapped().toString(), "unmapped");
  }

  @Test
  void bytesAreCopiedBothWays() {
    byte[] raw = {10, 0, 0, 1};
    IpAddress a = IpAddress.of(raw);
    raw[0] = 11;
    byte[] out = a.bytes();
    out[1] = 99;
    assertArrayEquals(new byte[] {10, 0, 0, 1}, a.bytes());
  }

  @Test
  void refusesOtherLengths() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> IpAddress.of(new byte[5]));
    assertEquals("an IP address has 4 or 16 bytes", e.getMessage());
  }
}
