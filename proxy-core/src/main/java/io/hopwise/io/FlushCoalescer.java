package io.hopwise.io;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;

/**
 * Defers a socket's flushes to the end of the event-loop turn, so that the writes of one turn leave
 * in one system call (see {@link WriteCoalescing}). It does what Netty's
 * {@code FlushConsolidationHandler(..., true)} does, with one difference: a deferred flush is a
 * plain task on the event loop, not a submitted one. Netty's version submits, which makes a future
 * per deferred flush (two per proxied request), only so that it can cancel the task when it flushes
 * early. Here a task that finds nothing left to flush simply does nothing.
 */
final class FlushCoalescer extends ChannelDuplexHandler {
  /** Flush at once after this many deferred flushes (Netty's default), so a long turn cannot hold everything. */
  static final int FLUSH_AFTER_FLUSHES = 256;

  private final Runnable flushTask = this::endOfTurn;
  private ChannelHandlerContext ctx;
  private int pendingFlushes;
  private boolean readInProgress;
  private boolean taskQueued;

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public void flush(ChannelHandlerContext ctx) {
    if (++pendingFlushes == FLUSH_AFTER_FLUSHES) {
      flushNow();
    } else if (!readInProgress && !taskQueued) {
      // During a read, channelReadComplete flushes; otherwise a task at the end of this turn.
      taskQueued = true;
      ctx.channel().eventLoop().execute(flushTask);
    }
  }

  private void endOfTurn() {
    taskQueued = false;
    if (!readInProgress) {
      flushIfPending();
    }
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    readInProgress = true;
    LoopClock.readStarted(); // this handler sees every read, so it also keeps the loop's clock
    try {
      ctx.fireChannelRead(msg);
    } finally {
      LoopClock.readEnded();
    }
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    endReadAndFlush();
    ctx.fireChannelReadComplete();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    endReadAndFlush();
    ctx.fireExceptionCaught(cause);
  }

  @Override
  public void disconnect(ChannelHandlerContext ctx, ChannelPromise promise) {
    endReadAndFlush();
    ctx.disconnect(promise);
  }

  @Override
  public void close(ChannelHandlerContext ctx, ChannelPromise promise) {
    endReadAndFlush(); // what was written before a close must go out before it
    ctx.close(promise);
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    if (!ctx.channel().isWritable()) {
      flushIfPending(); // the unflushed bytes count against writability: send them to free it
    }
    ctx.fireChannelWritabilityChanged();
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    flushIfPending();
  }

  /** A read, or the socket, has ended: nothing will flush for it later. */
  private void endReadAndFlush() {
    readInProgress = false;
    flushIfPending();
  }

  private void flushIfPending() {
    if (pendingFlushes > 0) {
      flushNow();
    }
  }

  private void flushNow() {
    pendingFlushes = 0;
    ctx.flush();
  }
}
