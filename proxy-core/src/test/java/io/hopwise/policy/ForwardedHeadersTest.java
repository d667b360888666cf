package io.hopwise.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.hopwise.http.HttpField;
import io.hopwise.http.HttpFields;
import io.hopwise.policy.ForwardedHeaders.Mode;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every case asserts the complete output field list, in order. */
class ForwardedHeadersTest {
  private static final List<String> TRUST = List.of("10.0.0.0/8", "2001:db8:ffff::/48");
  private static final String CLIENT = "192.0.2.43";
  private static final String PROXY = "10.0.0.7";

  private static ForwardedHeaders fh(Mode mode) {
    return ForwardedHeaders.of(mode, TRUST);
  }

  private static HttpFields f(String... namesAndValues) {
    return HttpFields.of(namesAndValues);
  }

  private static final HttpFields SPOOFED = f("Host", "example.com", "X-Forwarded-For", "6.6.6.6", "Accept", "*/*",
      "Forwarded", "for=6.6.6.6", "X-Forwarded-Proto", "https", "X-Forwarded-Host", "evil", "X-Forwarded-Port", "1");

  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of("off leaves everything, even spoofed values", fh(Mode.OFF), SPOOFED, CLIENT, "http", "example.com", SPOOFED),
        Arguments.of("x-forwarded-for, fresh", fh(Mode.X_FORWARDED_FOR), f("Host", "example.com", "Accept", "*/*"), CLIENT, "http",
            "example.com", f("Host", "example.com", "Accept", "*/*", "X-Forwarded-For", "192.0.2.43",
                "X-Forwarded-Proto", "http", "X-Forwarded-Host", "example.com")),
        Arguments.of("x-forwarded-for, untrusted client: spoofed values of both families removed", fh(Mode.X_FORWARDED_FOR), SPOOFED,
            CLIENT, "http", "example.com", f("Host", "example.com", "Accept", "*/*", "X-Forwarded-For", "192.0.2.43",
                "X-Forwarded-Proto", "http", "X-Forwarded-Host", "example.com")),
        Arguments.of("x-forwarded-for, lower-case spoofed names removed too", fh(Mode.X_FORWARDED_FOR),
            f("x-forwarded-for", "6.6.6.6", "FORWARDED", "for=6.6.6.6"), CLIENT, null, null, f("X-Forwarded-For", "192.0.2.43")),
        Arguments.of("x-forwarded-for, trusted client: chain appended, its proto and host kept", fh(Mode.X_FORWARDED_FOR),
            f("X-Forwarded-For", "198.51.100.1", "X-Forwarded-Proto", "https", "Accept", "*/*", "X-Forwarded-Host", "orig.example"),
            PROXY, "http", "example.com", f("X-Forwarded-Proto", "https", "Accept", "*/*", "X-Forwarded-Host", "orig.example",
                "X-Forwarded-For", "198.51.100.1, 10.0.0.7")),
        Arguments.of("x-forwarded-for, trusted client, several lines joined into one", fh(Mode.X_FORWARDED_FOR),
            f("X-Forwarded-For", "198.51.100.1", "Accept", "*/*", "X-Forwarded-For", " 198.51.100.2 , 198.51.100.3", "X-Forwarded-For", ""),
            PROXY, null, null, f("Accept", "*/*", "X-Forwarded-For", "198.51.100.1, 198.51.100.2 , 198.51.100.3, 10.0.0.7")),
        Arguments.of("x-forwarded-for, trusted client sent nothing", fh(Mode.X_FORWARDED_FOR), f("Accept", "*/*"), PROXY, "https",
            "example.com:8443", f("Accept", "*/*", "X-Forwarded-For", "10.0.0.7", "X-Forwarded-Proto", "https",
                "X-Forwarded-Host", "example.com:8443")),
        Arguments.of("x-forwarded-for, IPv6 client unbracketed", fh(Mode.X_FORWARDED_FOR), HttpFields.EMPTY, "2001:DB8:0:0:0:0:0:1",
            null, null, f("X-Forwarded-For", "2001:db8::1")),
        Arguments.of("rfc7239, fresh", fh(Mode.RFC7239), f("Host", "example.com"), CLIENT, "http", "example.com",
            f("Host", "example.com", "Forwarded", "for=192.0.2.43;proto=http;host=example.com")),
        Arguments.of("rfc7239, IPv6 client quoted and bracketed (RFC 7239 6)", fh(Mode.RFC7239), HttpFields.EMPTY, "2001:db8:0:0:0:0:0:1",
            "http", "example.com", f("Forwarded", "for=\"[2001:db8::1]\";proto=http;host=example.com")),
        Arguments.of("rfc7239, loopback as Java prints it", fh(Mode.RFC7239), HttpFields.EMPTY, "0:0:0:0:0:0:0:1", null, null,
            f("Forwarded", "for=\"[::1]\"")),
        Arguments.of("rfc7239, mapped client is IPv4", fh(Mode.RFC7239), HttpFields.EMPTY, "::ffff:192.0.2.43", null, null,
            f("Forwarded", "for=192.0.2.43")),
        Arguments.of("rfc7239, host with port is quoted", fh(Mode.RFC7239), HttpFields.EMPTY, CLIENT, "https", "example.com:8443",
            f("Forwarded", "for=192.0.2.43;proto=https;host=\"example.com:8443\"")),
        Arguments.of("rfc7239, IPv6 host is quoted", fh(Mode.RFC7239), HttpFields.EMPTY, CLIENT, "HTTP", "[::1]:8080",
            f("Forwarded", "for=192.0.2.43;proto=http;host=\"[::1]:8080\"")),
        Arguments.of("rfc7239, client not an IP address (RFC 7239 6.2)", fh(Mode.RFC7239), HttpFields.EMPTY, "unix:/run/x.sock",
            null, null, f("Forwarded", "for=unknown")),
        Arguments.of("rfc7239, untrusted client: both families removed", fh(Mode.RFC7239), SPOOFED, CLIENT, "http", "example.com",
            f("Host", "example.com", "Accept", "*/*", "Forwarded", "for=192.0.2.43;proto=http;host=example.com")),
        Arguments.of("rfc7239, trusted client: chain appended, its X-Forwarded-* untouched", fh(Mode.RFC7239),
            f("Forwarded", "for=198.51.100.1", "X-Forwarded-For", "198.51.100.1", "Forwarded", "for=\"[2001:db8::5]\";proto=https"),
            PROXY, "http", null, f("X-Forwarded-For", "198.51.100.1",
                "Forwarded", "for=198.51.100.1, for=\"[2001:db8::5]\";proto=https, for=10.0.0.7;proto=http")),
        Arguments.of("rfc7239, trusted IPv6 proxy", fh(Mode.RFC7239), f("Forwarded", "for=198.51.100.1"), "2001:db8:ffff::9", null, null,
            f("Forwarded", "for=198.51.100.1, for=\"[2001:db8:ffff::9]\"")),
        Arguments.of("rfc7239, mapped address of a trusted proxy", fh(Mode.RFC7239), f("Forwarded", "for=198.51.100.1"),
            "::ffff:10.0.0.7", null, null, f("Forwarded", "for=198.51.100.1, for=10.0.0.7")),
        Arguments.of("both, untrusted", fh(Mode.BOTH), SPOOFED, CLIENT, "http", "example.com",
            f("Host", "example.com", "Accept", "*/*", "X-Forwarded-For", "192.0.2.43", "X-Forwarded-Proto", "http",
                "X-Forwarded-Host", "example.com", "Forwarded", "for=192.0.2.43;proto=http;host=example.com")),
        Arguments.of("both, trusted", fh(Mode.BOTH), f("X-Forwarded-For", "198.51.100.1", "Forwarded", "for=198.51.100.1"), PROXY,
            null, null, f("X-Forwarded-For", "198.51.100.1, 10.0.0.7", "Forwarded", "for=198.51.100.1, for=10.0.0.7")),
        Arguments.of("nobody trusted: even a 10/8 client starts a fresh chain", ForwardedHeaders.of(Mode.BOTH, List.of()),
            f("X-Forwarded-For", "198.51.100.1"), PROXY, null, null, f("X-Forwarded-For", "10.0.0.7", "Forwarded", "for=10.0.0.7")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void sets(String name, ForwardedHeaders rules, HttpFields in, String client, String scheme, String host, HttpFields expected) {
    List<HttpField> before = List.copyOf(in.asList());
    HttpFields out = rules.apply(in, client, scheme, host);
    assertEquals(expected.asList(), out.asList());
    assertEquals(before, in.asList(), "input unchanged");
  }

  @Test
  void offReturnsTheInputItself() {
    assertSame(SPOOFED, fh(Mode.OFF).apply(SPOOFED, CLIENT, "http", "example.com"));
  }

  static Stream<Arguments> modes() {
    return Stream.of(
        Arguments.of("off", Mode.OFF),
        Arguments.of("x-forwarded-for", Mode.X_FORWARDED_FOR),
        Arguments.of("X-Forwarded-For", Mode.X_FORWARDED_FOR),
        Arguments.of("rfc7239", Mode.RFC7239),
        Arguments.of("BOTH", Mode.BOTH));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("modes")
  void parsesModes(String text, Mode expected) {
    assertEquals(expected, Mode.parse(text));
  }

  @Test
  void refusesUnknownModes() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Mode.parse("x_forwarded_for"));
    assertEquals("forwarded must be off, x-forwarded-for, rfc7239 or both, got 'x_forwarded_for'", e.getMessage());
  }
}
