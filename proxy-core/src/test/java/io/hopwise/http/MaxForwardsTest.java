package io.hopwise.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class MaxForwardsTest {
  static Stream<Arguments> cases() {
    HttpFields five = HttpFields.of("Host", "a", "Max-Forwards", "5");
    return Stream.of(
        Arguments.of("GET ignores it", "GET", five, new MaxForwards.Forward(five)),
        Arguments.of("OPTIONS decrements", "OPTIONS", five, new MaxForwards.Forward(HttpFields.of("Host", "a", "Max-Forwards", "4"))),
        Arguments.of("TRACE decrements", "TRACE", HttpFields.of("max-forwards", "1"), new MaxForwards.Forward(HttpFields.of("max-forwards", "0"))),
        Arguments.of("OPTIONS at 0 is ours", "OPTIONS", HttpFields.of("Max-Forwards", "0"), new MaxForwards.AnswerHere()),
        Arguments.of("TRACE at 0 is ours", "TRACE", HttpFields.of("Max-Forwards", " 0 "), new MaxForwards.AnswerHere()),
        Arguments.of("absent", "OPTIONS", HttpFields.of("Host", "a"), new MaxForwards.Forward(HttpFields.of("Host", "a"))),
        Arguments.of("not a number: as if absent", "OPTIONS", HttpFields.of("Max-Forwards", "-1"), new MaxForwards.Forward(HttpFields.of("Max-Forwards", "-1"))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void applies(String name, String method, HttpFields in, MaxForwards.Step expected) {
    assertEquals(expected, MaxForwards.apply(method, in));
  }
}
