package io.hopwise.io;

import io.vertx.core.net.NetSocket;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;

/**
 * Writes straight to the channel, without Vert.x's outbound message queue (issue 28). Every Vert.x
 * socket carries a queue for writes made from other threads: a JCTools queue whose first chunk is
 * an {@code Object[1025]}, 4.8 KB per socket, half of an idle client connection's memory, and as
 * much allocated for each new connection. Every write to our sockets is made on the socket's own
 * event loop, where Vert.x writes straight through anyway while the channel is writable. Vert.x's
 * "strict thread mode" (its HTTP server offers it; its {@code NetSocket} does not) has no queue:
 * a write always goes to Netty, which holds what the kernel has not taken, and
 * {@code writeQueueFull()} is the channel's own writability (Netty's high-water mark, 64 KiB)
 * instead of that plus 16 writes queued beyond it. Backpressure is unchanged in kind: writers
 * stop at {@code writeQueueFull()} and go on at the drain handler, which runs each time the
 * channel becomes writable again.
 *
 * <p>Vert.x has no public way to ask for it on a {@code NetSocket}, so the queue is swapped for
 * the strict one, by reflection, before the socket's first write. Where that is not possible (a
 * Vert.x whose insides differ: {@code DirectWritesTest} says so) the socket keeps its queue.
 */
public final class DirectWrites {
  private static final System.Logger LOG = System.getLogger("io.hopwise.connections");
  private static final Class<?> CONNECTION;
  private static final Field QUEUE;
  private static final Constructor<?> STRICT;

  static {
    Class<?> connection = null;
    Field queue = null;
    Constructor<?> strict = null;
    try {
      connection = Class.forName("io.vertx.core.net.impl.VertxConnection");
      queue = connection.getDeclaredField("outboundMessageQueue");
      queue.setAccessible(true);
      strict = Class.forName("io.vertx.core.net.impl.VertxConnection$DirectOutboundMessageQueue")
          .getDeclaredConstructor(connection);
      strict.setAccessible(true);
    } catch (ReflectiveOperationException | RuntimeException e) {
      LOG.log(System.Logger.Level.WARNING, "hopwise: sockets keep Vert.x's write queue (" + e + ")");
      queue = null;
      strict = null;
    }
    CONNECTION = connection;
    QUEUE = queue;
    STRICT = strict;
  }

  private DirectWrites() {}

  /**
   * Drops {@code socket}'s write queue: call on its event loop, before its first write.
   *
   * @return whether it now writes straight to the channel
   */
  public static boolean install(NetSocket socket) {
    if (STRICT == null || !CONNECTION.isInstance(socket)) {
      return false;
    }
    try {
      QUEUE.set(socket, STRICT.newInstance(socket));
      return true;
    } catch (ReflectiveOperationException | RuntimeException e) {
      return false;
    }
  }

  /** Whether {@code socket} writes straight to the channel. */
  static boolean installed(NetSocket socket) {
    try {
      return QUEUE != null && QUEUE.get(socket).getClass() == STRICT.getDeclaringClass();
    } catch (ReflectiveOperationException | RuntimeException e) {
      return false;
    }
  }
}
