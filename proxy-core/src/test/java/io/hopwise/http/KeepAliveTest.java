package io.hopwise.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class KeepAliveTest {
  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of("absent", HttpFields.of("Connection", "keep-alive"), KeepAlive.NONE),
        Arguments.of("timeout and max", HttpFields.of("Keep-Alive", "timeout=5, max=100"), new KeepAlive(5, 100)),
        Arguments.of("case and OWS", HttpFields.of("keep-alive", " Timeout = 7 ,MAX=3 "), new KeepAlive(7, 3)),
        Arguments.of("timeout only", HttpFields.of("Keep-Alive", "timeout=15"), new KeepAlive(15, -1)),
        Arguments.of("max only", HttpFields.of("Keep-Alive", "max=0"), new KeepAlive(-1, 0)),
        Arguments.of("quoted value", HttpFields.of("Keep-Alive", "timeout=\"4\""), new KeepAlive(4, -1)),
        Arguments.of("two lines, smallest wins", HttpFields.of("Keep-Alive", "timeout=9", "Keep-Alive", "timeout=3, max=2"), new KeepAlive(3, 2)),
        Arguments.of("garbage ignored", HttpFields.of("Keep-Alive", "timeout=abc, max=-1, foo, =3"), KeepAlive.NONE),
        Arguments.of("huge value ignored", HttpFields.of("Keep-Alive", "timeout=99999999999"), KeepAlive.NONE),
        Arguments.of("unknown parameter ignored", HttpFields.of("Keep-Alive", "foo=1, timeout=2"), new KeepAlive(2, -1)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void parses(String name, HttpFields fields, KeepAlive expected) {
    assertEquals(expected, KeepAlive.of(fields));
  }
}
