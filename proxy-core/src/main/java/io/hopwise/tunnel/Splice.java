package io.hopwise.tunnel;

import io.hopwise.io.PeerInput;
import io.hopwise.io.SocketClosing;
import io.netty.buffer.ByteBuf;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.net.NetSocketInternal;
import io.vertx.core.net.NetSocket;

/**
 * One direction of a two-way pipe: bytes from {@code from} go to {@code to} with backpressure
 * (a slow reader pauses the writer's source), and end-of-stream is passed on as a half-close,
 * after the last byte (http-rules C6, C7).
 */
final class Splice {
  private final PeerInput from;
  private final NetSocket to;
  private final Runnable onActivity;
  private long bytes;
  private boolean ended;
  private boolean done;

  /**
   * How many bytes may wait to be sent to {@code to} before {@code from} is paused. Netty's default,
   * 64 KiB, is one read: every read then paused the source and the flush at the end of the loop's
   * turn resumed it, two epoll_ctl calls per 64 KiB relayed (issue 28, target 4). Four reads' worth
   * lets a read go out while the next comes in; what one tunnel holds stays bounded by it.
   */
  static final int WRITE_QUEUE_BYTES = 256 * 1024;

  Splice(PeerInput from, NetSocket to, Runnable onActivity) {
    this.from = from;
    this.to = to;
    this.onActivity = onActivity;
    to.setWriteQueueMaxSize(WRITE_QUEUE_BYTES);
  }

  /** Sends bytes that arrived before the splice started; the caller then lets {@code from} flow. */
  void start(Buffer early) {
    if (early != null && early.length() > 0) {
      relay(early);
    }
  }

  void relay(Buffer data) {
    bytes += data.length();
    onActivity.run();
    to.write(data);
    holdBackWhileFull();
  }

  /**
   * Bytes taken straight from {@code from}'s channel ({@link #direct}): written as they are, with
   * no copy. This splice owns {@code data} until the write has it.
   */
  private void relay(ByteBuf data) {
    bytes += data.readableBytes();
    onActivity.run();
    ((NetSocketInternal) to).writeMessage(data).onFailure(cause -> {
      // Netty releases a buffer it could not write; one Vert.x dropped from its queue is still ours.
      if (data.refCnt() > 0) {
        data.release();
      }
    });
    holdBackWhileFull();
  }

  /** From now on {@code from}'s bytes bypass its reader and come here as they were read. */
  void direct() {
    if (to instanceof NetSocketInternal) {
      from.direct(this::relay);
    }
  }

  private void holdBackWhileFull() {
    if (to.writeQueueFull()) {
      from.pause();
      to.drainHandler(v -> {
        to.drainHandler(null);
        from.resume();
      });
    }
  }

  /**
   * {@code from} ended its stream after the bytes relayed so far: once they are flushed, shut
   * down {@code to}'s output; then {@code whenDone} runs.
   */
  void end(Runnable whenDone) {
    if (!ended) {
      ended = true;
      SocketClosing.shutdownOutputAfterFlush(to, () -> {
        done = true;
        whenDone.run();
      });
    }
  }

  /** The end has been passed on: every byte was flushed and {@code to}'s output shut down. */
  boolean done() {
    return done;
  }

  long bytes() {
    return bytes;
  }
}
