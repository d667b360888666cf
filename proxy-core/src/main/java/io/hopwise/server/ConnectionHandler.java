package io.hopwise.server;

/** One accepted client connection, served by the strategy the proxy's mode chose. */
public interface ConnectionHandler {
  void start();

  /** Closes at once (proxy stopping). */
  void shutdown();

  /** The proxy is draining: close when idle, or after the response in progress. */
  default void drain() {}
}
