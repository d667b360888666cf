package io.hopwise.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ClientAccessTest {
  private static final ClientAccess DEFAULT = ClientAccess.defaults();
  private static final ClientAccess LAN = ClientAccess.of(List.of("10.0.0.0/8", "2001:db8::/32"));
  private static final ClientAccess NOBODY = ClientAccess.of(List.of());
  private static final ClientAccess ALL_IPV4 = ClientAccess.of(List.of("0.0.0.0/0"));

  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of("default: 127.0.0.1", DEFAULT, "127.0.0.1", true),
        Arguments.of("default: rest of 127/8", DEFAULT, "127.255.255.254", true),
        Arguments.of("default: ::1", DEFAULT, "::1", true),
        Arguments.of("default: ::1 as Java prints it", DEFAULT, "0:0:0:0:0:0:0:1", true),
        Arguments.of("default: mapped loopback from a dual-stack socket", DEFAULT, "::ffff:127.0.0.1", true),
        Arguments.of("default: LAN address", DEFAULT, "10.0.0.1", false),
        Arguments.of("default: ::2", DEFAULT, "::2", false),
        Arguments.of("default: compatible form is not unwrapped", DEFAULT, "::7f00:1", false),
        Arguments.of("default: link-local with zone", DEFAULT, "fe80:0:0:0:0:0:0:1%eth0", false),
        Arguments.of("default: a name is never an address", DEFAULT, "localhost", false),
        Arguments.of("default: a lenient spelling is not parsed", DEFAULT, "2130706433", false),
        Arguments.of("default: absent", DEFAULT, null, false),
        Arguments.of("LAN: inside", LAN, "10.20.30.40", true),
        Arguments.of("LAN: mapped inside", LAN, "::ffff:10.20.30.40", true),
        Arguments.of("LAN: IPv6 inside", LAN, "2001:db8:1::5", true),
        Arguments.of("LAN: loopback not listed", LAN, "127.0.0.1", false),
        Arguments.of("LAN: outside", LAN, "11.0.0.1", false),
        Arguments.of("empty list: nobody", NOBODY, "127.0.0.1", false),
        Arguments.of("0.0.0.0/0: any IPv4", ALL_IPV4, "203.0.113.5", true),
        Arguments.of("0.0.0.0/0: mapped IPv4", ALL_IPV4, "::ffff:203.0.113.5", true),
        Arguments.of("0.0.0.0/0: not IPv6", ALL_IPV4, "2001:db8::1", false));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void allows(String name, ClientAccess access, String client, boolean expected) {
    assertEquals(expected, access.allows(client));
    if (client != null && IpAddress.parse(client).isPresent()) {
      assertEquals(expected, access.allows(IpAddress.parse(client).get().bytes()), "same answer from bytes");
    }
  }

  @Test
  void refusesBadCidrs() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ClientAccess.of(List.of("127.0.0.1/8")));
    assertEquals("host bits set in CIDR '127.0.0.1/8'; did you mean 127.0.0.0/8?", e.getMessage());
  }

  @Test
  void defaultIsLoopbackOnly() {
    assertEquals(List.of("127.0.0.0/8", "::1/128"), DEFAULT.cidrs().stream().map(Cidr::toString).toList());
  }
}
