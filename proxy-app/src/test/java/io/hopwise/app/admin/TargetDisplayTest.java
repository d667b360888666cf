package io.hopwise.app.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** What the connection view shows of a target (issue 24, privacy): never a query string. */
class TargetDisplayTest {
  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of("absolute form loses its query", "http://h:8080/a/b?token=x", false, "http://h:8080/a/b"),
        Arguments.of("and its fragment", "http://h/a#frag", false, "http://h/a"),
        Arguments.of("hidden paths keep the authority", "http://h:8080/a/b?token=x", true, "http://h:8080"),
        Arguments.of("no path", "http://h:8080", false, "http://h:8080"),
        Arguments.of("a query right after the authority", "http://h?x=1", false, "http://h"),
        Arguments.of("https", "https://api.example.com/v1/pay?card=4111", false, "https://api.example.com/v1/pay"),
        Arguments.of("IPv6 literal", "http://[::1]:80/p?q", false, "http://[::1]:80/p"),
        Arguments.of("CONNECT authority stays", "example.com:443", false, "example.com:443"),
        Arguments.of("CONNECT authority with paths hidden", "example.com:443", true, "example.com:443"),
        Arguments.of("origin form loses its query", "/search?q=secret", false, "/search"),
        Arguments.of("origin form with paths hidden", "/search?q=secret", true, "/..."),
        Arguments.of("asterisk", "*", false, "*"),
        Arguments.of("a head that never parsed", "-", false, "-"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void shows(String name, String target, boolean hidePaths, String shown) {
    assertEquals(shown, TargetDisplay.of(target, hidePaths));
  }
}
