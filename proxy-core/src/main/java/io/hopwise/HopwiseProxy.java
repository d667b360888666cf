package io.hopwise;

import io.vertx.core.Future;
import io.vertx.core.Vertx;

/** Placeholder signature; implemented in the next step. */
public interface HopwiseProxy {
  /** Starts listening; the future completes once the port is bound. */
  static Future<HopwiseProxy> start(Vertx vertx, ProxyOptions options, ProxyListener listener) {
    throw new UnsupportedOperationException("not yet");
  }

  /** The port actually bound (useful with port 0). */
  int port();

  /** Stops accepting, closes connections and the upstream pools. */
  Future<Void> close();
}
