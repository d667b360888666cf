package io.hopwise.policy;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * Requests waiting for a connection, oldest first, each due a fixed time after it joined; the
 * time is passed in. One timer serves the whole queue: it is armed for {@link #nextDueMillis}.
 *
 * @param <T> what waits (the pool's promises)
 */
public final class WaitQueue<T> {
  private record Entry<T>(T item, long dueNanos) {}

  private final ArrayDeque<Entry<T>> entries = new ArrayDeque<>();
  private final long waitNanos;

  public WaitQueue(long waitNanos) {
    this.waitNanos = waitNanos;
  }

  public void add(T item, long now) {
    entries.add(new Entry<>(item, now + waitNanos));
  }

  /** The oldest waiter, or null: the one to serve when a connection comes free. */
  public T poll() {
    Entry<T> e = entries.poll();
    return e == null ? null : e.item();
  }

  /** Removes and returns the waiters whose time is up at {@code now}, oldest first. */
  public List<T> expire(long now) {
    List<T> out = List.of();
    Entry<T> e;
    while ((e = entries.peekFirst()) != null && e.dueNanos() - now <= 0) {
      entries.pollFirst();
      if (out.isEmpty()) {
        out = new ArrayList<>(2);
      }
      out.add(e.item());
    }
    return out;
  }

  /** Milliseconds from {@code now} until the oldest waiter is due (at least 1), or -1 if none waits. */
  public long nextDueMillis(long now) {
    Entry<T> e = entries.peekFirst();
    return e == null ? -1 : Math.max(1, (e.dueNanos() - now + 999_999) / 1_000_000);
  }

  /** Removes and returns every waiter (shutdown). */
  public List<T> drain() {
    List<T> out = new ArrayList<>(entries.size());
    entries.forEach(e -> out.add(e.item()));
    entries.clear();
    return out;
  }

  public int size() {
    return entries.size();
  }

  public boolean isEmpty() {
    return entries.isEmpty();
  }
}
