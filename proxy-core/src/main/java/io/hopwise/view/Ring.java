package io.hopwise.view;

import java.util.ArrayList;
import java.util.List;

/**
 * The last {@code capacity} items added, oldest dropped first (issue 24: memory stays bounded
 * whatever the traffic). One writer and readers on the same thread (an event loop): no locks.
 * Capacity 0 keeps nothing.
 */
public final class Ring<T> {
  private Object[] items;
  private Slots slots;

  public Ring(int capacity) {
    if (capacity < 0) {
      throw new IllegalArgumentException("capacity must be >= 0, got " + capacity);
    }
    items = new Object[capacity];
    slots = new Slots(capacity);
  }

  public void add(T item) {
    int i = slots.take();
    if (i >= 0) {
      items[i] = item;
    }
  }

  /** How many were ever added (dropped ones included). */
  public long added() {
    return slots.added();
  }

  public int capacity() {
    return items.length;
  }

  /** The items kept, oldest first. */
  @SuppressWarnings("unchecked")
  public List<T> snapshot() {
    int n = slots.kept();
    List<T> out = new ArrayList<>(n);
    for (int k = 0; k < n; k++) {
      out.add((T) items[slots.slot(k)]);
    }
    return out;
  }

  /** A new capacity (a reload): the newest items that fit are kept. */
  public void resize(int capacity) {
    if (capacity == items.length) {
      return;
    }
    List<T> kept = snapshot();
    items = new Object[capacity];
    slots = new Slots(capacity);
    Slots.newest(kept, capacity).forEach(this::add);
  }
}
