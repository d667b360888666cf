package io.hopwise.tunnel;

import io.hopwise.io.SocketClosing;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;

/**
 * One direction of a two-way pipe: bytes from {@code from} go to {@code to} with backpressure
 * (a slow reader pauses the writer's source), and end-of-stream is passed on as a half-close.
 */
final class Splice {
  private final NetSocket from;
  private final NetSocket to;
  private final Runnable onActivity;
  private long bytes;
  private boolean ended;

  Splice(NetSocket from, NetSocket to, Runnable onActivity) {
    this.from = from;
    this.to = to;
    this.onActivity = onActivity;
  }

  /**
   * Sends bytes that arrived before the splice started, then relays.
   *
   * @param takeHandler install our handler on {@code from}; false when its owner forwards data
   */
  void start(Buffer early, boolean takeHandler) {
    if (early != null && early.length() > 0) {
      relay(early);
    }
    if (takeHandler) {
      from.handler(this::relay);
    }
    from.resume();
  }

  void relay(Buffer data) {
    bytes += data.length();
    onActivity.run();
    to.write(data);
    if (to.writeQueueFull()) {
      from.pause();
      to.drainHandler(v -> {
        to.drainHandler(null);
        from.resume();
      });
    }
  }

  /** {@code from} shut down its output: deliver what is pending, then shut down {@code to}'s. */
  void end() {
    if (!ended) {
      ended = true;
      SocketClosing.shutdownOutputAfterFlush(to);
    }
  }

  boolean ended() {
    return ended;
  }

  long bytes() {
    return bytes;
  }
}
