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

  /** Stops accepting, closes connections and the upstream pools. */
  Future<Void> close();
}
