package io.hopwise.server;

/** One accepted client connection, served by the strategy the proxy's mode chose. */
public interface ConnectionHandler {
  void start();

  /** Closes at once (proxy stopping). */
  void shutdown();
}
