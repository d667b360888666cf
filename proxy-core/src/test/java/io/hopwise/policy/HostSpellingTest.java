package io.hopwise.policy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.hopwise.policy.HostSpelling.Host;
import io.hopwise.policy.HostSpelling.Invalid;
import io.hopwise.policy.HostSpelling.Name;
import io.hopwise.policy.HostSpelling.Numeric;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every spelling inet_aton or a WHATWG URL parser reads as an address must come out as that
 * address; names come out canonical; the rest is invalid. Results are rendered as
 * "address X", "name X" or "invalid: reason".
 */
class HostSpellingTest {
  static Stream<Arguments> hosts() {
    return Stream.of(
        // 127.0.0.2 in every spelling
        Arguments.of("dotted quad", "127.0.0.2", "address 127.0.0.2"),
        Arguments.of("one decimal number", "2130706434", "address 127.0.0.2"),
        Arguments.of("octal first part", "0177.0.0.2", "address 127.0.0.2"),
        Arguments.of("one hex number", "0x7f000002", "address 127.0.0.2"),
        Arguments.of("one hex number, upper case", "0X7F000002", "address 127.0.0.2"),
        Arguments.of("one octal number", "017700000002", "address 127.0.0.2"),
        Arguments.of("hex first part", "0x7f.0.0.2", "address 127.0.0.2"),
        Arguments.of("mixed hex, octal, decimal", "0x7f.0.0x0.02", "address 127.0.0.2"),
        Arguments.of("many leading zeros in octal", "0000000177.0.0.2", "address 127.0.0.2"),
        Arguments.of("two parts (inet_aton a.b)", "127.2", "address 127.0.0.2"),
        Arguments.of("three parts (inet_aton a.b.c)", "127.0.2", "address 127.0.0.2"),
        Arguments.of("two parts, octal and hex", "0177.0x2", "address 127.0.0.2"),
        Arguments.of("trailing dot", "127.0.0.2.", "address 127.0.0.2"),
        Arguments.of("percent-encoded digits", "%31%32%37.0.0.2", "address 127.0.0.2"),
        Arguments.of("mapped IPv6 in brackets", "[::ffff:127.0.0.2]", "address ::ffff:127.0.0.2"),
        Arguments.of("mapped IPv6, hex groups", "[::ffff:7f00:2]", "address ::ffff:127.0.0.2"),
        Arguments.of("mapped IPv6 without brackets (Origin.host)", "::ffff:7f00:2", "address ::ffff:127.0.0.2"),
        Arguments.of("mapped IPv6, long form", "[0:0:0:0:0:ffff:127.0.0.2]", "address ::ffff:127.0.0.2"),
        Arguments.of("compatible IPv6", "[::127.0.0.2]", "address ::7f00:2"),
        // edges of the numeric forms
        Arguments.of("zero", "0", "address 0.0.0.0"),
        Arguments.of("bare 0x is zero (WHATWG)", "0x.0x.0x.0x", "address 0.0.0.0"),
        Arguments.of("largest single number", "4294967295", "address 255.255.255.255"),
        Arguments.of("two parts, last fills three bytes", "127.65536", "address 127.1.0.0"),
        Arguments.of("metadata as one number (issue 5)", "2852039166", "address 169.254.169.254"),
        Arguments.of("link-local with a zone (RFC 6874)", "[fe80::1%25eth0]", "address fe80::1"),
        Arguments.of("number above 32 bits", "4294967296", "invalid: malformed IPv4 address"),
        Arguments.of("octet above 255", "127.0.0.256", "invalid: malformed IPv4 address"),
        Arguments.of("middle part above 255", "127.256.1", "invalid: malformed IPv4 address"),
        Arguments.of("five parts", "1.2.3.4.5", "invalid: malformed IPv4 address"),
        Arguments.of("8 in octal", "08.0.0.1", "invalid: malformed IPv4 address"),
        Arguments.of("empty part", "1..2", "invalid: malformed IPv4 address"),
        Arguments.of("name ending in a number", "foo.123", "invalid: malformed IPv4 address"),
        Arguments.of("name ending in hex", "foo.0x1", "invalid: malformed IPv4 address"),
        Arguments.of("two gaps in IPv6", "[1::2::3]", "invalid: malformed IPv6 address"),
        Arguments.of("unclosed bracket", "[::1", "invalid: malformed IPv6 address"),
        Arguments.of("IPv4 in brackets", "[127.0.0.1]", "invalid: brackets around something that is not an IPv6 address"),
        // names
        Arguments.of("name lower-cased, trailing dot dropped", "Example.COM.", "name example.com"),
        Arguments.of("metadata name with trailing dot", "metadata.google.internal.", "name metadata.google.internal"),
        Arguments.of("last label not quite hex", "0x1g", "name 0x1g"),
        Arguments.of("last label not quite a number", "1.2.3.4a", "name 1.2.3.4a"),
        Arguments.of("punycode", "xn--bcher-kva.example", "name xn--bcher-kva.example"),
        Arguments.of("underscore label", "_dmarc.example.com", "name _dmarc.example.com"),
        Arguments.of("percent-encoded letters", "ex%61mple.com", "name example.com"),
        Arguments.of("space", "exa mple.com", "invalid: not a valid host name"),
        Arguments.of("label starting with a hyphen", "-foo.com", "invalid: not a valid host name"),
        Arguments.of("empty label", "foo..com", "invalid: not a valid host name"),
        Arguments.of("label of 64 characters", "a".repeat(64) + ".com", "invalid: not a valid host name"),
        Arguments.of("userinfo smuggled by encoding", "evil.com%40good.com", "invalid: not a valid host name"),
        Arguments.of("bad escape", "%zz.com", "invalid: bad percent-encoding in host"),
        Arguments.of("non-ASCII escape", "%C3%A9.com", "invalid: bad percent-encoding in host"),
        Arguments.of("encoded NUL", "a%00.com", "invalid: bad percent-encoding in host"),
        Arguments.of("empty", "", "invalid: empty host"),
        Arguments.of("only a dot", ".", "invalid: empty host"));
  }

  @ParameterizedTest(name = "{0}: {1}")
  @MethodSource("hosts")
  void classifies(String name, String host, String expected) {
    assertEquals(expected, render(HostSpelling.classify(host)));
  }

  static Stream<Arguments> numeric() {
    return Stream.of(
        Arguments.of("hex spelling", "0x7f000002", new byte[] {127, 0, 0, 2}),
        Arguments.of("inet_aton a.b", "10.258", new byte[] {10, 0, 1, 2}),
        Arguments.of("IPv6 keeps 16 bytes", "[::1]", new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1}),
        Arguments.of("a name is not numeric", "example.com", null),
        Arguments.of("an invalid host is not numeric", "127.0.0.256", null));
  }

  @ParameterizedTest(name = "{0}: {1}")
  @MethodSource("numeric")
  void numericAddress(String name, String host, byte[] expected) {
    assertArrayEquals(expected, HostSpelling.numericAddress(host).orElse(null));
  }

  private static String render(Host h) {
    if (h instanceof Numeric n) {
      return "address " + n.address();
    }
    if (h instanceof Name n) {
      return "name " + n.name();
    }
    return "invalid: " + ((Invalid) h).reason();
  }
}
