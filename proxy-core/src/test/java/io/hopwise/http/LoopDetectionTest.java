package io.hopwise.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class LoopDetectionTest {
  private static final Origin ELSEWHERE = new Origin("http", "example.com", 80);

  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of("no Via", HttpFields.EMPTY, ELSEWHERE, false),
        Arguments.of("other proxies in Via", HttpFields.of("Via", "1.1 squid, 1.0 edge (Apache)"), ELSEWHERE, false),
        Arguments.of("our pseudonym", HttpFields.of("Via", "1.1 hopwise"), ELSEWHERE, true),
        Arguments.of("our pseudonym, other case, second element", HttpFields.of("Via", "1.1 a, HTTP/1.1 HopWise (x)"), ELSEWHERE, true),
        Arguments.of("our pseudonym on a second Via line", HttpFields.of("Via", "1.0 a", "Via", "1.1  hopwise"), ELSEWHERE, true),
        Arguments.of("pseudonym only as a comment", HttpFields.of("Via", "1.1 other (hopwise)"), ELSEWHERE, false),
        Arguments.of("pseudonym as a prefix", HttpFields.of("Via", "1.1 hopwise2"), ELSEWHERE, false),
        Arguments.of("target is our loopback port", HttpFields.EMPTY, new Origin("http", "127.0.0.1", 3128), true),
        Arguments.of("target is localhost:our port", HttpFields.EMPTY, new Origin("http", "localhost", 3128), true),
        Arguments.of("target is [::1]:our port", HttpFields.EMPTY, new Origin("http", "::1", 3128), true),
        Arguments.of("target is 127.0.0.2:our port", HttpFields.EMPTY, new Origin("http", "127.0.0.2", 3128), true),
        Arguments.of("target is our bind host", HttpFields.EMPTY, new Origin("http", "10.1.2.3", 3128), true),
        Arguments.of("loopback, another port", HttpFields.EMPTY, new Origin("http", "127.0.0.1", 8080), false),
        Arguments.of("our port on another host", HttpFields.EMPTY, new Origin("http", "example.com", 3128), false));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void detects(String name, HttpFields fields, Origin target, boolean loop) {
    assertEquals(loop, LoopDetection.loop(fields, target, "hopwise", "10.1.2.3", 3128) != null);
  }
}
