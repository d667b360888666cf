package io.hopwise.view;

/**
 * Hands back an equal value seen a moment ago instead of the new one, so that a ring keeping
 * values for a while keeps one copy of each value that recurs (a request target, the list of
 * fields removed) and the copy just made dies young.
 *
 * <p>Why: whatever a ring still holds at a young collection is copied by it; a ring of 1,000
 * exchanges per loop, each holding its own target string and removed-fields list, had the
 * collector copy about 350 KB each time and doubled the pause (issue 28, targets 3 and 8).
 * One equality check per value when it recurs; a value that does not recur is kept as it is.
 * Direct-mapped by hash, so lookups are constant and what it holds is bounded by its size.
 * One thread (the ring's loop).
 */
final class Recurring<T> {
  private final Object[] seen;

  /** @param size how many values it remembers at most: a power of two */
  Recurring(int size) {
    if (Integer.bitCount(size) != 1) {
      throw new IllegalArgumentException("size must be a power of two, got " + size);
    }
    seen = new Object[size];
  }

  /** {@code value}, or an equal one remembered from before (null stays null). */
  @SuppressWarnings("unchecked")
  T shared(T value) {
    if (value == null) {
      return null;
    }
    int h = value.hashCode();
    int slot = (h ^ (h >>> 16)) & (seen.length - 1);
    Object before = seen[slot];
    if (before != null && before.equals(value)) {
      return (T) before;
    }
    seen[slot] = value;
    return value;
  }
}
