package io.hopwise.tunnel;

import io.vertx.core.buffer.Buffer;

/** What a client connection that has become a tunnel forwards to it. */
public interface ClientTunnel {
  void fromClient(Buffer data);

  /** The client shut down its output (half-close). */
  void clientEnded();

  /** The client connection closed, or the proxy is stopping. */
  void close();
}
