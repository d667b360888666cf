package io.hopwise.view;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/** The bounded ring behind the connection view (issue 24), as a table of named cases. */
class RingTest {
  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of("empty", 3, 0, List.of()),
        Arguments.of("not yet full", 3, 2, List.of(1, 2)),
        Arguments.of("exactly full", 3, 3, List.of(1, 2, 3)),
        Arguments.of("wrapped once: the oldest went first", 3, 4, List.of(2, 3, 4)),
        Arguments.of("wrapped many times", 3, 1000, List.of(998, 999, 1000)),
        Arguments.of("capacity 0 keeps nothing", 0, 5, List.of()),
        Arguments.of("capacity 1 keeps the newest", 1, 5, List.of(5)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void keepsTheNewestInOrder(String name, int capacity, int added, List<Integer> expected) {
    Ring<Integer> ring = new Ring<>(capacity);
    IntStream.rangeClosed(1, added).forEach(ring::add);
    assertEquals(expected, ring.snapshot());
    assertEquals(capacity == 0 ? 0 : added, ring.added());
  }

  @Test
  void shrinkingKeepsTheNewestAndGrowingKeepsAll() {
    Ring<Integer> ring = new Ring<>(5);
    IntStream.rangeClosed(1, 7).forEach(ring::add);
    ring.resize(2);
    assertEquals(List.of(6, 7), ring.snapshot());
    ring.resize(4);
    ring.add(8);
    assertEquals(List.of(6, 7, 8), ring.snapshot());
  }

  @Test
  void aNegativeCapacityIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> new Ring<>(-1));
  }
}
