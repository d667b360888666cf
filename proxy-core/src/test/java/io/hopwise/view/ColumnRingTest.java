package io.hopwise.view;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.hopwise.Timed;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The bookkeeping every ring of the connection view shares (issue 24), as a table of named cases. */
class ColumnRingTest {
  /** A ring of numbers in one column: what the bookkeeping does, whatever the record. */
  private static final class Numbers extends ColumnRing<Integer> {
    private int[] v;

    Numbers(int capacity) {
      allocate(capacity);
    }

    @Override
    protected void columns(int n) {
      v = new int[n];
    }

    @Override
    protected void put(int i, Integer record) {
      v[i] = record;
    }

    @Override
    protected Integer get(int i) {
      return v[i];
    }

    List<Integer> values() {
      return snapshot().stream().map(Timed::record).toList();
    }
  }

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
    Numbers ring = new Numbers(capacity);
    IntStream.rangeClosed(1, added).forEach(i -> ring.add(100 + i, i));
    assertEquals(expected, ring.values());
    assertEquals(expected.stream().map(i -> 100L + i).toList(), ring.snapshot().stream().map(Timed::atMillis).toList(),
        "each with the time it came");
  }

  @Test
  void shrinkingKeepsTheNewestAndGrowingKeepsAll() {
    Numbers ring = new Numbers(5);
    IntStream.rangeClosed(1, 7).forEach(i -> ring.add(i, i));
    ring.resize(2);
    assertEquals(List.of(6, 7), ring.values());
    ring.resize(4);
    ring.add(8, 8);
    assertEquals(List.of(6, 7, 8), ring.values());
    assertEquals(4, ring.capacity());
  }

  @Test
  void aNegativeCapacityIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> new Numbers(-1));
  }
}
