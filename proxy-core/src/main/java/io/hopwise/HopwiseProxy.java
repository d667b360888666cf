package io.hopwise;

import io.vertx.core.Future;

/** A running proxy, as {@code ProxyServer.start} (server package) returns it. */
public interface HopwiseProxy {
  /** The port actually bound (useful with port 0). */
  int port();

  /** Connection counts for metrics (refreshed every second). */
  PoolStats stats();

  /**
   * Graceful drain: stop accepting new connections; idle keep-alive connections close now; a
   * connection with a request in progress gets {@code Connection: close} on its response and then
   * closes; after {@code timeout} whatever is left is closed. Then {@link #close()}.
   */
  Future<Void> drain(java.time.Duration timeout);

  /**
   * Puts {@code next} in force for new connections, new requests and new tunnels (issue 26);
   * exchanges and tunnels in flight keep the options they started with. Fails, changing nothing,
   * when {@code next} changes what needs a restart ({@link ProxyOptions#restartNeededFor}).
   */
  Future<Void> apply(ProxyOptions next);

  /**
   * The connection view's data (issue 24), gathered from every event loop: connections open now
   * and each loop's recent records. For a minute after each call, exchanges also take TCP_INFO
   * at their first and last byte (two system calls each, spent only while someone watches).
   */
  Future<io.hopwise.ConnectionsSnapshot> connections();

  /** Whether parent proxy {@code name} is up (issue 27): not skipped after a failed connection. */
  boolean parentUp(String name);

  /** The options in force. */
  ProxyOptions options();

  /** Stops accepting, closes connections and the upstream pools. */
  Future<Void> close();
}
