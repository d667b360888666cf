package io.hopwise.io;

import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.DuplexChannel;
import io.netty.util.ReferenceCountUtil;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.net.NetSocketInternal;
import io.vertx.core.net.NetSocket;
import java.time.Duration;

/**
 * What Vert.x's public NetSocket cannot express: half-close (shut down one direction and learn
 * that the peer did), a graceful (lingering) close, an abort, and an immediate close. All reach
 * Netty through Vert.x's internal socket, kept here in one place.
 */
public final class SocketClosing {
  private SocketClosing() {}

  /**
   * Lets the peer shut down its output without Netty closing the whole connection; then
   * {@code onInputEnded} runs instead (TCP half-close, RFC 9112 9.6; a tunnel needs it, C6).
   */
  public static void onInputShutdown(NetSocket socket, Runnable onInputEnded) {
    Channel ch = channel(socket);
    if (ch == null) {
      return;
    }
    ch.config().setOption(ChannelOption.ALLOW_HALF_CLOSURE, true);
    ((NetSocketInternal) socket).eventHandler(event -> {
      if (event instanceof ChannelInputShutdownEvent) {
        onInputEnded.run();
      } else {
        ReferenceCountUtil.release(event);
      }
    });
  }

  /** Once everything written so far is flushed, shuts down our output: the peer reads EOF. */
  public static void shutdownOutputAfterFlush(NetSocket socket) {
    // An empty write completes after everything queued before it is flushed.
    socket.write(Buffer.buffer()).onComplete(ar -> {
      Channel ch = channel(socket);
      if (ar.succeeded() && ch instanceof DuplexChannel duplex && ch.isActive()) {
        duplex.shutdownOutput();
      } else {
        now(socket);
      }
    });
  }

  /**
   * RFC 9112 9.6: close gracefully. Once everything written has been flushed, shut down our
   * output (the peer reads the last response, then EOF), keep reading and discarding until the
   * peer closes too or {@code linger} passes, then close. Closing at once could make our TCP send
   * a reset that destroys the response the peer has not read yet.
   */
  public static void graceful(Vertx vertx, NetSocket socket, Duration linger, Runnable whenClosed) {
    socket.handler(ignored -> {});
    socket.resume();
    long timer = vertx.setTimer(Math.max(1, linger.toMillis()), t -> now(socket));
    socket.closeHandler(v -> {
      vertx.cancelTimer(timer);
      whenClosed.run();
    });
    // The peer's EOF ends the linger, but only once what we wrote is flushed: a client may shut
    // down its output and still be reading a large last response. Closing at once would drop
    // what the kernel has not taken yet. The timer above bounds the wait.
    onInputShutdown(socket, () -> closeWhenFlushed(socket));
    shutdownOutputAfterFlush(socket);
  }

  /** Closes once everything written so far is flushed (the peer has already stopped sending). */
  public static void closeAfterFlush(NetSocket socket, Runnable whenClosed) {
    socket.closeHandler(v -> whenClosed.run());
    closeWhenFlushed(socket);
  }

  private static void closeWhenFlushed(NetSocket socket) {
    // An empty write completes after everything queued before it is flushed.
    socket.write(Buffer.buffer()).onComplete(ar -> now(socket));
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
   * Closes at once, dropping data the kernel will not take. Vert.x queues a close behind pending
   * writes (even one made on the Netty channel, which its handler intercepts), and that never
   * happens when the peer has stopped reading; Netty's unsafe close goes straight to the socket.
   * What this turn wrote is first pushed past the write coalescing (whose flush waits for the end
   * of the turn), so bytes written before the close still go out, as they did before coalescing.
   * Event loop only.
   */
  public static void now(NetSocket socket) {
    Channel ch = channel(socket);
    if (ch != null && ch.eventLoop().inEventLoop()) {
      WriteCoalescing.flushNow(ch);
      ch.unsafe().close(ch.unsafe().voidPromise());
    } else {
      socket.close();
    }
  }

  private static Channel channel(NetSocket socket) {
    return socket instanceof NetSocketInternal internal ? internal.channelHandlerContext().channel() : null;
  }
}
