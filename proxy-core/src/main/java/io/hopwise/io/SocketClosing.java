package io.hopwise.io;

import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.socket.DuplexChannel;
import io.vertx.core.Vertx;
import io.vertx.core.internal.net.NetSocketInternal;
import io.vertx.core.net.NetSocket;
import java.time.Duration;

/**
 * The two ways we end a connection that Vert.x's public NetSocket cannot express: a graceful
 * (lingering) close and an abort. Both reach Netty through Vert.x's internal socket, kept here in
 * one place.
 */
public final class SocketClosing {
  private SocketClosing() {}

  /**
   * RFC 9112 9.6: close gracefully. Once everything written has been flushed, shut down our
   * output (the peer reads the last response, then EOF), keep reading and discarding for up to
   * {@code linger}, then close. Closing at once could make the peer's TCP send a reset that
   * destroys the response it has not read yet.
   */
  public static void graceful(Vertx vertx, NetSocket socket, Duration linger, Runnable whenClosed) {
    socket.handler(ignored -> {});
    socket.resume();
    long timer = vertx.setTimer(Math.max(1, linger.toMillis()), t -> socket.close());
    socket.closeHandler(v -> {
      vertx.cancelTimer(timer);
      whenClosed.run();
    });
    // An empty write completes after everything queued before it is flushed.
    socket.write(io.vertx.core.buffer.Buffer.buffer()).onComplete(ar -> {
      Channel ch = channel(socket);
      if (ar.succeeded() && ch instanceof DuplexChannel duplex && ch.isActive()) {
        duplex.shutdownOutput();
      } else {
        socket.close();
      }
    });
  }

  /**
   * Ends the connection with a reset (SO_LINGER 0), so the peer cannot take a truncated body for
   * a complete one, even when the body was delimited by the close itself (http-rules B9).
   */
  public static void abort(NetSocket socket) {
    Channel ch = channel(socket);
    if (ch != null && ch.isActive()) {
      ch.config().setOption(ChannelOption.SO_LINGER, 0);
    }
    now(socket);
  }

  /**
   * Closes at once, dropping unsent data. Vert.x queues a close behind pending writes (even one
   * made on the Netty channel, which its handler intercepts), and that never happens when the
   * peer has stopped reading; Netty's unsafe close goes straight to the socket. Event loop only.
   */
  public static void now(NetSocket socket) {
    Channel ch = channel(socket);
    if (ch != null && ch.eventLoop().inEventLoop()) {
      ch.unsafe().close(ch.unsafe().voidPromise());
    } else {
      socket.close();
    }
  }

  private static Channel channel(NetSocket socket) {
    return socket instanceof NetSocketInternal internal ? internal.channelHandlerContext().channel() : null;
  }
}
