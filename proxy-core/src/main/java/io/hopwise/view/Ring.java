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
  /** Where the next item goes. */
  private int next;
  private long added;

  public Ring(int capacity) {
    if (capacity < 0) {
      throw new IllegalArgumentException("capacity must be >= 0, got " + capacity);
    }
    items = new Object[capacity];
  }

  public void add(T item) {
    if (items.length == 0) {
      return;
    }
    items[next] = item;
    next = next + 1 == items.length ? 0 : next + 1;
    added++;
  }

  /** How many were ever added (dropped ones included). */
  public long added() {
    return added;
  }

  public int capacity() {
    return items.length;
  }

  /** The items kept, oldest first. */
  @SuppressWarnings("unchecked")
  public List<T> snapshot() {
    int n = (int) Math.min(added, items.length);
    List<T> out = new ArrayList<>(n);
    int start = added <= items.length ? 0 : next;
    for (int i = 0; i < n; i++) {
      out.add((T) items[(start + i) % items.length]);
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
    next = 0;
    added = 0;
    for (T t : kept.subList(Math.max(0, kept.size() - capacity), kept.size())) {
      add(t);
    }
  }
}
