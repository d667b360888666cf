package io.hopwise;

import io.hopwise.server.ProxyServer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

/** A running proxy. */
public interface HopwiseProxy {
  /**
   * Starts listening on {@code options.host():options.port()} with {@code options.eventLoops()}
   * event loops; the future completes once the port is bound.
   */
  static Future<HopwiseProxy> start(Vertx vertx, ProxyOptions options, ProxyListener listener) {
    return ProxyServer.start(vertx, new ProxyOptions(options), listener);
  }

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

  /** Stops accepting, closes connections and the upstream pools. */
  Future<Void> close();
}
