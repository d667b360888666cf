package io.hopwise.server;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Concurrent client connections, in total and per client address, shared by every event loop
 * (issue 5: one client must not take all the file descriptors). 0 means unlimited.
 */
final class ConnectionLimits {
  private final int maxTotal;
  private final int maxPerClient;
  private final AtomicInteger total = new AtomicInteger();
  private final ConcurrentHashMap<String, AtomicInteger> perClient = new ConcurrentHashMap<>();

  ConnectionLimits(int maxTotal, int maxPerClient) {
    this.maxTotal = maxTotal;
    this.maxPerClient = maxPerClient;
  }

  /** Takes a slot for {@code client}, or returns why not (then nothing was taken). */
  String acquire(String client) {
    if (maxTotal > 0 && total.incrementAndGet() > maxTotal) {
      total.decrementAndGet();
      return "too many client connections (limit " + maxTotal + ")";
    } else if (maxTotal <= 0) {
      total.incrementAndGet();
    }
    if (maxPerClient > 0) {
      AtomicInteger n = perClient.computeIfAbsent(client, k -> new AtomicInteger());
      if (n.incrementAndGet() > maxPerClient) {
        release(client);
        return "too many connections from " + client + " (limit " + maxPerClient + ")";
      }
    }
    return null;
  }

  void release(String client) {
    total.decrementAndGet();
    if (maxPerClient > 0) {
      perClient.computeIfPresent(client, (k, n) -> n.decrementAndGet() <= 0 ? null : n);
    }
  }
}
