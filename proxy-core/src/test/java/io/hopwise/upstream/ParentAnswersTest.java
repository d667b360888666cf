package io.hopwise.upstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hopwise.http.Origin;
import io.hopwise.policy.Parent;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** What the client gets for a parent's no (issue 27), as a table. */
class ParentAnswersTest {
  private static final Parent WITH = new Parent("corp", new Origin("http", "proxy", 3128), "Basic eDp5");
  private static final Parent WITHOUT = new Parent("corp", new Origin("http", "proxy", 3128), null);

  static Stream<Arguments> table() {
    return Stream.of(
        Arguments.of("407 with credentials: ours are wrong, a 502", WITH, 407, 502, "refused our credentials", "check its credentialsFile"),
        Arguments.of("407 without: it needs some, a 502", WITHOUT, 407, 502, "refused our credentials", "it needs credentials"),
        Arguments.of("403: a 502 naming the parent's answer", WITH, 403, 502, "parent corp answered 403 Forbidden", "to CONNECT x:443"),
        Arguments.of("504: the parent timed out reaching the origin, a 504", WITH, 504, 504, "answered 504", "to CONNECT x:443"),
        Arguments.of("503: a 502", WITH, 503, 502, "answered 503", "to CONNECT x:443"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("table")
  void refusal(String name, Parent parent, int parentStatus, int ours, String says, String alsoSays) {
    String reason = parentStatus == 403 ? "Forbidden" : "";
    UpstreamFailure f = ParentAnswers.refusal(parent, "CONNECT x:443", parentStatus, reason);
    assertEquals(ours, f.status());
    assertTrue(f.getMessage().contains(says) && f.getMessage().contains(alsoSays), f.getMessage());
  }
}
