package io.hopwise.tunnel;

import io.hopwise.io.SocketClosing;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * Two sockets joined both ways (a CONNECT tunnel or an upgraded connection). Each direction's
 * end is passed on as a half-close while the other keeps flowing; the tunnel closes when both
 * have ended, either side closes, or nothing moves for {@code idleTimeout}.
 */
public final class Tunnel implements ClientTunnel {
  /** Bytes relayed each way, reported once when the tunnel closes. */
  public record Totals(long fromClient, long toClient) {}

  private final Vertx vertx;
  private final NetSocket client;
  private final NetSocket upstream;
  private final Duration idleTimeout;
  private final Consumer<Totals> onClosed;
  private final Splice up;
  private final Splice down;
  private boolean closed;
  private long idleTimer = -1;
  private long lastActivityNanos = System.nanoTime();

  /**
   * The caller keeps the client socket's handlers and calls {@link #fromClient},
   * {@link #clientEnded} and {@link #close}; the tunnel owns the upstream socket.
   */
  public Tunnel(Vertx vertx, NetSocket client, NetSocket upstream, Duration idleTimeout, Consumer<Totals> onClosed) {
    this.vertx = vertx;
    this.client = client;
    this.upstream = upstream;
    this.idleTimeout = idleTimeout;
    this.onClosed = onClosed;
    this.up = new Splice(client, upstream, this::activity);
    this.down = new Splice(upstream, client, this::activity);
  }

  /**
   * @param earlyFromClient bytes the client sent before the tunnel existed
   * @param earlyFromUpstream bytes the upstream sent right after its last response head
   */
  public void start(Buffer earlyFromClient, Buffer earlyFromUpstream) {
    SocketClosing.onInputShutdown(upstream, this::upstreamEnded);
    upstream.closeHandler(v -> close());
    upstream.exceptionHandler(e -> close());
    up.start(earlyFromClient, false);
    down.start(earlyFromUpstream, true);
    armIdleTimer();
  }

  @Override
  public void fromClient(Buffer data) {
    up.relay(data);
  }

  /** The client shut down its output (half-close). */
  @Override
  public void clientEnded() {
    up.end();
    closeIfBothEnded();
  }

  private void upstreamEnded() {
    down.end();
    closeIfBothEnded();
  }

  private void closeIfBothEnded() {
    if (up.ended() && down.ended()) {
      vertx.setTimer(50, t -> close()); // let the last half-close flush first
    }
  }

  private void activity() {
    lastActivityNanos = System.nanoTime();
  }

  private void armIdleTimer() {
    long idle = idleTimeout.toMillis();
    idleTimer = vertx.setTimer(idle, t -> {
      long quietMillis = (System.nanoTime() - lastActivityNanos) / 1_000_000;
      if (quietMillis >= idle) {
        close();
      } else if (!closed) {
        idleTimer = vertx.setTimer(idle - quietMillis, t2 -> armIdleTimer());
      }
    });
  }

  /** Closes both sides (idempotent). */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    vertx.cancelTimer(idleTimer);
    SocketClosing.now(upstream);
    onClosed.accept(new Totals(up.bytes(), down.bytes()));
  }
}
