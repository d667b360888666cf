package io.hopwise.view;

import java.util.List;

/**
 * Which slot a ring ({@link Ring}, and the rings of columns {@link ExchangeRing} and
 * {@link ClientClosedRing}) writes next and which it keeps, oldest first: once full, each new item
 * takes the oldest one's slot.
 */
final class Slots {
  private final int capacity;
  private int next;
  private long added;

  Slots(int capacity) {
    this.capacity = capacity;
  }

  int capacity() {
    return capacity;
  }

  /** The slot for a new item (the oldest one's once full); -1 with capacity 0, which keeps nothing. */
  int take() {
    if (capacity == 0) {
      return -1;
    }
    int i = next;
    next = i + 1 == capacity ? 0 : i + 1;
    added++;
    return i;
  }

  /** How many items were ever added (dropped ones included). */
  long added() {
    return added;
  }

  /** How many items are kept. */
  int kept() {
    return (int) Math.min(added, capacity);
  }

  /** The slot of the {@code k}-th item kept, oldest first. */
  int slot(int k) {
    return ((added <= capacity ? 0 : next) + k) % capacity;
  }

  /** The newest {@code n} of {@code kept} (oldest first), for a ring made again with capacity n. */
  static <T> List<T> newest(List<T> kept, int n) {
    return kept.subList(Math.max(0, kept.size() - n), kept.size());
  }
}
