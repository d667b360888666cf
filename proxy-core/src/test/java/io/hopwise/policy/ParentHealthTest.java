package io.hopwise.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hopwise.http.Origin;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which parents to try (issue 27), the clock passed in: no sleeping. */
class ParentHealthTest {
  private static final long S = 1_000_000_000L;
  private static final Parent A = new Parent("a", new Origin("http", "a", 3128), null);
  private static final Parent B = new Parent("b", new Origin("http", "b", 3128), null);

  @Test
  void allUpAtFirstInTheRoutesOrder() {
    assertEquals(List.of(A, B), new ParentHealth().toTry(List.of(A, B), 0));
  }

  @Test
  void aFailedParentIsSkippedForDownForThenTriedAgain() {
    ParentHealth h = new ParentHealth();
    long now = 1_000 * S;
    h.markDown("a", now, 30 * S);
    assertEquals(List.of(B), h.toTry(List.of(A, B), now));
    assertEquals(List.of(B), h.toTry(List.of(A, B), now + 30 * S - 1));
    assertEquals(List.of(A, B), h.toTry(List.of(A, B), now + 30 * S), "back in its place once downFor has passed");
  }

  @Test
  void everyParentDownLeavesNoneToTry() {
    ParentHealth h = new ParentHealth();
    h.markDown("a", 0, 10 * S);
    h.markDown("b", 0, 10 * S);
    assertEquals(List.of(), h.toTry(List.of(A, B), 5 * S));
  }

  @Test
  void aWorkingConnectionBringsItBackAtOnce() {
    ParentHealth h = new ParentHealth();
    h.markDown("a", 0, 10 * S);
    assertFalse(h.isUp("a", S));
    h.markUp("a");
    assertTrue(h.isUp("a", S));
  }

  @Test
  void theClockMayBeNegative() {
    // System.nanoTime has an arbitrary origin: compare by difference, never by sign.
    ParentHealth h = new ParentHealth();
    long now = Long.MIN_VALUE + 5 * S;
    h.markDown("a", now, 10 * S);
    assertFalse(h.isUp("a", now + 9 * S));
    assertTrue(h.isUp("a", now + 10 * S));
  }
}
