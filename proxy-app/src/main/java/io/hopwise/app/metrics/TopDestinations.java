package io.hopwise.app.metrics;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which destinations get series of their own (issue 26): at most {@code k}, the rest count as
 * {@code other}, so 10,000 destinations make at most k + 1 series. The clock is passed in. How
 * the cap behaves as traffic shifts:
 * <ul>
 *   <li>until k destinations are named, each new one is named at once (a small deployment sees
 *       all of its destinations);
 *   <li>traffic is counted per destination in a bounded table of {@code 4k} candidates
 *       (Space-Saving: a new destination takes the place of the least counted one, inheriting
 *       its count as its possible error, so a heavy newcomer is not lost among many light ones);
 *   <li>every {@code interval} the k candidates with the most traffic they surely had (count less
 *       inherited error: many one-off hosts cannot outrank a steady one) become the named set;
 *       a destination
 *       that drops out loses its series (they go stale in Prometheus) and its traffic counts as
 *       {@code other} from then on; then every count is halved, so old traffic fades.
 * </ul>
 * Not thread-safe: the caller serialises (the event loops lock this object).
 */
final class TopDestinations {
  /** The names that changed at a re-ranking: series to create and to remove. */
  record Change(List<String> named, List<String> dropped) {}

  static final String OTHER = "other";

  private final int k;
  private final int capacity;
  private final long intervalNanos;
  /** Per candidate: {count, error}; the count may include up to error requests of others. */
  private final Map<String, long[]> counts = new HashMap<>();
  private final Set<String> named = new LinkedHashSet<>();
  private long nextRankNanos;
  private boolean started;

  TopDestinations(int k, long intervalNanos) {
    if (k < 1) {
      throw new IllegalArgumentException("k must be >= 1, got " + k);
    }
    this.k = k;
    this.capacity = 4 * k;
    this.intervalNanos = intervalNanos;
  }

  /** The label of one request or tunnel to {@code destination}, counting it. */
  String label(String destination, long nowNanos) {
    if (!started) {
      started = true;
      nextRankNanos = nowNanos + intervalNanos;
    }
    count(destination);
    if (named.contains(destination)) {
      return destination;
    }
    if (named.size() < k) {
      named.add(destination);
      return destination;
    }
    return OTHER;
  }

  boolean isNamed(String destination) {
    return named.contains(destination);
  }

  /** Whether a re-ranking is due at {@code nowNanos}. */
  boolean due(long nowNanos) {
    return started && nowNanos - nextRankNanos >= 0;
  }

  /** Re-ranks: the k most counted candidates are the named set; counts are halved. */
  Change rank(long nowNanos) {
    nextRankNanos = nowNanos + intervalNanos;
    List<Map.Entry<String, long[]>> byCount = new ArrayList<>(counts.entrySet());
    byCount.sort(Comparator.comparingLong((Map.Entry<String, long[]> e) -> e.getValue()[0] - e.getValue()[1]).reversed()
        .thenComparing(Map.Entry::getKey));
    Set<String> top = new LinkedHashSet<>();
    for (int i = 0; i < byCount.size() && top.size() < k; i++) {
      top.add(byCount.get(i).getKey());
    }
    List<String> dropped = new ArrayList<>();
    for (String n : named) {
      if (!top.contains(n)) {
        dropped.add(n);
      }
    }
    List<String> added = new ArrayList<>();
    for (String t : top) {
      if (!named.contains(t)) {
        added.add(t);
      }
    }
    named.clear();
    named.addAll(top);
    counts.values().removeIf(c -> {
      c[0] >>= 1;
      c[1] >>= 1;
      return c[0] == 0;
    });
    return new Change(added, dropped);
  }

  private void count(String destination) {
    long[] c = counts.get(destination);
    if (c != null) {
      c[0]++;
      return;
    }
    long inherited = 0;
    if (counts.size() >= capacity) {
      String least = null;
      long min = Long.MAX_VALUE;
      for (Map.Entry<String, long[]> e : counts.entrySet()) {
        if (e.getValue()[0] < min && !named.contains(e.getKey())) {
          min = e.getValue()[0];
          least = e.getKey();
        }
      }
      if (least == null) {
        return; // every candidate is named (capacity = 4k > k, so not reached)
      }
      counts.remove(least);
      inherited = min;
    }
    counts.put(destination, new long[] {inherited + 1, inherited});
  }
}
