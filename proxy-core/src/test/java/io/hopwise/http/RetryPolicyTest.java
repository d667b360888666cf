package io.hopwise.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RetryPolicyTest {
  static Stream<Arguments> cases() {
    BodyFraming none = BodyFraming.NONE;
    return Stream.of(
        Arguments.of("GET on a stale connection", "GET", none, true, false, 1, true),
        Arguments.of("HEAD on a stale connection", "HEAD", none, true, false, 1, true),
        Arguments.of("DELETE without body", "DELETE", none, true, false, 1, true),
        Arguments.of("OPTIONS", "OPTIONS", none, true, false, 1, true),
        Arguments.of("POST never", "POST", none, true, false, 1, false),
        Arguments.of("PATCH never", "PATCH", none, true, false, 1, false),
        Arguments.of("PUT with a body (already streamed)", "PUT", BodyFraming.length(3), true, false, 1, false),
        Arguments.of("GET with a chunked body", "GET", BodyFraming.CHUNKED, true, false, 1, false),
        Arguments.of("GET on a fresh connection that failed", "GET", none, false, false, 1, false),
        Arguments.of("GET already retried once", "GET", none, true, false, 2, false),
        Arguments.of("lower-case method is not GET", "get", none, true, false, 1, false),
        Arguments.of("a parent marked down: again, to the next parent", "GET", none, true, true, 2, true),
        Arguments.of("a third parent marked down: again", "GET", none, true, true, 3, true),
        Arguments.of("parents marked down: at most four attempts", "GET", none, true, true, 4, false),
        Arguments.of("a parent marked down does not make POST retryable", "POST", none, true, true, 2, false),
        Arguments.of("a parent marked down does not make a body resendable", "PUT", BodyFraming.length(3), true, true, 2,
            false));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void decides(String name, String method, BodyFraming framing, boolean stale, boolean parentDown, int attempts,
      boolean expected) {
    assertEquals(expected, RetryPolicy.mayRetry(method, framing, stale, parentDown, attempts));
  }

  @ParameterizedTest(name = "method \"{0}\"")
  @org.junit.jupiter.params.provider.ValueSource(strings = {"GET", "HEAD", "OPTIONS", "TRACE", "PUT", "DELETE",
      "POST", "PATCH", "CONNECT", "get", "Get", "PROPFIND", "", "GETS"})
  void idempotentIsExactlyTheRfcSet(String method) {
    // RFC 9110 9.2.2 lists these six; methods are case-sensitive (9.1).
    boolean expected = java.util.List.of("GET", "HEAD", "OPTIONS", "TRACE", "PUT", "DELETE").contains(method);
    assertEquals(expected, RetryPolicy.isIdempotent(method), method);
    assertEquals(expected, RetryPolicy.IDEMPOTENT.contains(method), method);
  }
}
