package io.hopwise.server;

import io.hopwise.options.Limits;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Concurrent client connections, in total and per client address, shared by every event loop
 * (issue 5: one client must not take all the file descriptors). 0 means unlimited. The limits
 * come with each acquisition, from the options in force, so a reload changes them for the next
 * connection; the counts are kept whatever the limits, so a limit set by a reload counts the
 * connections already open.
 */
final class ConnectionLimits {
  private final AtomicInteger total = new AtomicInteger();
  private final ConcurrentHashMap<String, AtomicInteger> perClient = new ConcurrentHashMap<>();

  /** Takes a slot for {@code client}, or returns why not (then nothing was taken). */
  String acquire(String client, Limits limits) {
    int maxTotal = limits.maxClientConnections();
    if (total.incrementAndGet() > maxTotal && maxTotal > 0) {
      total.decrementAndGet();
      return "too many client connections (limit " + maxTotal + ")";
    }
    int maxPerClient = limits.maxConnectionsPerClient();
    // Counted inside compute: a release emptying the entry at the same time cannot lose it.
    AtomicInteger n = perClient.compute(client, (k, c) -> {
      AtomicInteger counter = c == null ? new AtomicInteger() : c;
      counter.incrementAndGet();
      return counter;
    });
    if (n.get() > maxPerClient && maxPerClient > 0) {
      release(client);
      return "too many connections from " + client + " (limit " + maxPerClient + ")";
    }
    return null;
  }

  void release(String client) {
    total.decrementAndGet();
    perClient.computeIfPresent(client, (k, n) -> n.decrementAndGet() <= 0 ? null : n);
  }
}
