package io.hopwise.app.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The per-destination cap as traffic shifts, with the clock passed in (no sleeping). */
class TopDestinationsTest {
  private static final long MINUTE = 60_000_000_000L;

  @Test
  void theFirstKAreNamedAtOnceAndTheRestAreOther() {
    TopDestinations top = new TopDestinations(3, MINUTE);
    assertEquals("a", top.label("a", 0));
    assertEquals("b", top.label("b", 0));
    assertEquals("c", top.label("c", 0));
    assertEquals("other", top.label("d", 0));
    assertEquals("a", top.label("a", 0), "a named destination stays named");
  }

  @Test
  void aHeavyNewcomerTakesTheLightestPlaceAtTheNextRanking() {
    TopDestinations top = new TopDestinations(2, MINUTE);
    top.label("a", 0);
    top.label("b", 0);
    for (int i = 0; i < 10; i++) {
      assertEquals("other", top.label("heavy", 1));
      top.label("a", 1);
    }
    assertFalse(top.due(MINUTE - 1));
    assertTrue(top.due(MINUTE));
    TopDestinations.Change change = top.rank(MINUTE);
    assertEquals(List.of("heavy"), change.named());
    assertEquals(List.of("b"), change.dropped());
    assertEquals("heavy", top.label("heavy", MINUTE));
    assertEquals("other", top.label("b", MINUTE));
  }

  /** Old traffic fades: counts halve at each ranking, so yesterday's busiest host does not hold its place. */
  @Test
  void oldTrafficFades() {
    TopDestinations top = new TopDestinations(1, MINUTE);
    for (int i = 0; i < 64; i++) {
      top.label("old", 0);
    }
    top.rank(MINUTE);
    for (int n = 2; n <= 8; n++) {
      for (int i = 0; i < 10; i++) {
        top.label("new", n * MINUTE - 1);
      }
      top.rank(n * MINUTE);
    }
    assertTrue(top.isNamed("new"));
    assertFalse(top.isNamed("old"));
  }

  /** Many one-off destinations cannot push out a steady one: the candidates' table is bounded. */
  @Test
  void tenThousandOneOffsDoNotDisplaceASteadyDestination() {
    TopDestinations top = new TopDestinations(5, MINUTE);
    for (int i = 0; i < 10_000; i++) {
      top.label("host-" + i + ".example", 1);
      if (i % 50 == 0) {
        top.label("api.example.com", 1);
      }
    }
    top.rank(MINUTE);
    assertTrue(top.isNamed("api.example.com"));
  }
}
