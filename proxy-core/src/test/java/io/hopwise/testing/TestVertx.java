package io.hopwise.testing;

import io.hopwise.io.TransportChoice;
import io.hopwise.io.Transports;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;

/**
 * Vert.x for a test's proxy, on the transport {@code -Dhopwise.test.transport} names: {@code nio}
 * (the default), {@code epoll} or {@code io_uring}, so that .ci/run runs the socket tests on each
 * transport the app may choose. A named transport this machine cannot run fails the test.
 */
public final class TestVertx {
  private TestVertx() {}

  public static Vertx create() {
    String requested = System.getProperty("hopwise.test.transport", "nio");
    return Transports.start(new VertxOptions(), TransportChoice.Kind.parse(requested)).vertx();
  }
}
