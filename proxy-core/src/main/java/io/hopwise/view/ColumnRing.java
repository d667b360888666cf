package io.hopwise.view;

import io.hopwise.Timed;
import java.util.ArrayList;
import java.util.List;

/**
 * The last {@code capacity} records of one kind, each with the time it came, kept as columns of
 * numbers and shared references instead of the record objects (issue 28). Whatever a ring holds
 * while it is young is copied by every young collection; a ring of 1,000 records per loop that
 * turns over between two collections (a connection per request, short CONNECT tunnels) made the
 * collector copy them all each time and doubled or tripled the pause. A subclass says which
 * columns a record takes ({@link #columns}, {@link #put}) and builds the record again for a
 * reader ({@link #get}); the bookkeeping is here. One writer and readers on the same thread (the
 * loop). Capacity 0 keeps nothing.
 */
abstract class ColumnRing<R> {
  private int capacity;
  /** The slot the next record takes (the oldest one's once full). */
  private int next;
  /** How many records were ever added (dropped ones included). */
  private long added;
  private long[] at;

  /** Subclasses call this once, at the end of their constructor, and on a resize it is called again. */
  protected final void allocate(int capacity) {
    if (capacity < 0) {
      throw new IllegalArgumentException("capacity must be >= 0, got " + capacity);
    }
    this.capacity = capacity;
    next = 0;
    added = 0;
    at = new long[capacity];
    columns(capacity);
  }

  /** Makes every column for {@code n} records, empty. */
  protected abstract void columns(int n);

  /** Writes {@code record} into slot {@code i} of every column. */
  protected abstract void put(int i, R record);

  /** The record in slot {@code i}, made again. */
  protected abstract R get(int i);

  final void add(long atMillis, R record) {
    if (capacity == 0) {
      return;
    }
    int i = next;
    next = i + 1 == capacity ? 0 : i + 1;
    added++;
    at[i] = atMillis;
    put(i, record);
  }

  final int capacity() {
    return capacity;
  }

  /** The records kept, oldest first, made again. */
  final List<Timed<R>> snapshot() {
    int n = (int) Math.min(added, capacity);
    int oldest = added <= capacity ? 0 : next;
    List<Timed<R>> out = new ArrayList<>(n);
    for (int k = 0; k < n; k++) {
      int i = (oldest + k) % capacity;
      out.add(new Timed<>(at[i], get(i)));
    }
    return out;
  }

  /** A new capacity (a reload): the newest records that fit are kept. */
  final void resize(int newCapacity) {
    if (newCapacity == capacity) {
      return;
    }
    List<Timed<R>> kept = snapshot();
    allocate(newCapacity);
    kept.subList(Math.max(0, kept.size() - newCapacity), kept.size()).forEach(t -> add(t.atMillis(), t.record()));
  }
}
