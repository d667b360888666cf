package io.hopwise.io;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.impl.VertxConnection;

/**
 * Writes whose completion nobody waits for. {@code NetSocket.write} makes a promise for every
 * write, wraps it for Netty and completes it once the bytes are flushed; the proxy's data writes
 * never look at it (flow control goes by writeQueueFull and the drain handler). Writing through
 * the connection's own void promise skips that; order, flushing and queueing are the same.
 */
public final class Writes {
  private Writes() {}

  public static void write(NetSocket socket, Buffer data) {
    if (socket instanceof VertxConnection connection) {
      connection.writeToChannel(((BufferInternal) data).getByteBuf());
    } else {
      socket.write(data);
    }
  }
}
