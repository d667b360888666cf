package io.hopwise.io;

import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.socket.DuplexChannel;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.net.NetSocketInternal;
import io.vertx.core.net.NetSocket;
import java.time.Duration;

/**
 * What Vert.x's public NetSocket cannot express: half-close (shut down our direction once
 * flushed; learning that the peer did is {@link PeerInput}'s), a graceful (lingering) close, an
 * abort, and an immediate close. All reach Netty through Vert.x's internal socket, kept here
 * with PeerInput in one place.
 */
public final class SocketClosing {
  private SocketClosing() {}

  /**
   * Once everything written so far is flushed, shuts down our output: the peer reads every byte,
   * then EOF. {@code done} runs after that (or after the socket failed or closed instead).
   */
  public static void shutdownOutputAfterFlush(NetSocket socket, Runnable done) {
    // An empty write completes after everything queued before it is flushed.
    socket.write(Buffer.buffer()).onComplete(ar -> {
      Channel ch = channel(socket);
      if (ar.succeeded() && ch instanceof DuplexChannel duplex && ch.isActive()) {
        if (shutdownOutputOfDescriptor(ch)) {
          done.run();
        } else {
          duplex.shutdownOutput().addListener(f -> done.run());
        }
      } else {
        now(socket);
        done.run();
      }
    });
  }

  /**
   * shutdown(SHUT_WR) on the socket of an epoll or io_uring channel, straight. Netty's
   * {@code shutdownOutput} builds a {@code ChannelOutputShutdownException} with its stack trace on
   * every call, for writes that might still be pending (here none are: everything is flushed): with
   * a connection per request, a stack trace per connection (issue 28). Netty reads the socket's
   * own state for {@code isOutputShutdown}, so it sees this one. False where it does not apply
   * (NIO) or the socket refused (the caller then takes Netty's way, which handles the error).
   */
  private static boolean shutdownOutputOfDescriptor(Channel ch) {
    if (ch instanceof io.netty.channel.unix.UnixChannel unix && unix.fd() instanceof io.netty.channel.unix.Socket fd) {
      try {
        fd.shutdown(false, true);
        return true;
      } catch (java.io.IOException | RuntimeException e) {
        return false;
      }
    }
    return false;
  }

  /**
   * Our output is shut down and the peer's end is all we wait for: when it comes, Netty may close
   * the channel at once. With half-closure on, it would first shut the input down, and shutdown(2)
   * on a socket closed both ways fails with ENOTCONN, which Netty turns into a
   * {@code NotYetConnectedException} with its stack trace: one per connection we close (issue 28).
   */
  private static void closeOnPeersEnd(NetSocket socket) {
    Channel ch = channel(socket);
    if (ch != null && ch.isActive()) {
      ch.config().setOption(ChannelOption.ALLOW_HALF_CLOSURE, false);
    }
  }

  /**
   * RFC 9112 9.6: close gracefully. Once everything written has been flushed, shut down our
   * output (the peer reads the last response, then EOF), keep reading and discarding until the
   * peer closes too or {@code linger} passes, then close. Closing at once could make our TCP send
   * a reset that destroys the response the peer has not read yet. A peer that has already ended
   * its stream has nothing left to drain: the connection closes once flushed.
   */
  public static void graceful(Vertx vertx, PeerInput input, Duration linger, Runnable whenClosed) {
    NetSocket socket = input.socket();
    if (input.hasEnded()) {
      closeAfterFlush(input, whenClosed);
      return;
    }
    long timer = vertx.setTimer(Math.max(1, linger.toMillis()), t -> now(socket));
    input.onClosed(() -> {
      vertx.cancelTimer(timer);
      whenClosed.run();
    });
    // Input is discarded: nothing after the last response is answered. The peer's EOF ends the
    // linger, but only once what we wrote is flushed: a client may shut down its output and still
    // be reading a large last response; closing at once would drop what the kernel has not taken
    // yet. The timer above bounds the wait.
    input.reader(PeerInput.Reader.of(data -> { }, () -> closeWhenFlushed(socket), cause -> now(socket)));
    input.resume();
    shutdownOutputAfterFlush(socket, () -> closeOnPeersEnd(socket));
  }

  /** Closes once everything written so far is flushed (the peer has already stopped sending). */
  public static void closeAfterFlush(PeerInput input, Runnable whenClosed) {
    input.onClosed(whenClosed);
    closeWhenFlushed(input.socket());
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

  /** {@link #abort} when {@code reset}, else {@link #now}: a cut transfer is told apart from a finished one. */
  public static void now(NetSocket socket, boolean reset) {
    if (reset) {
      abort(socket);
    } else {
      now(socket);
    }
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

  /** The socket's Netty channel, or null for a socket that is not Vert.x's own. */
  static Channel channel(NetSocket socket) {
    return socket instanceof NetSocketInternal internal ? internal.channelHandlerContext().channel() : null;
  }
}
