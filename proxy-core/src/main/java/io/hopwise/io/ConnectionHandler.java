package io.hopwise.io;

/**
 * One accepted client connection, served by the strategy the proxy's mode chose (server's
 * ClientConnection or dumb's DumbRelay). Here, below both, so that neither strategy's package
 * depends on the package that creates it.
 */
public interface ConnectionHandler {
  void start();

  /** Closes at once (proxy stopping). */
  void shutdown();

  /** The proxy is draining: close when idle, or after the response in progress. */
  default void drain() {}

  /** What the connection view shows of it now (issue 24); null: nothing. Event loop only. */
  default io.hopwise.OpenConnection describe() {
    return null;
  }
}
