package io.hopwise.tunnel;

import io.hopwise.io.PeerInput;
import io.hopwise.io.SocketClosing;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * Two sockets joined both ways (a CONNECT tunnel or an upgraded connection). Each direction's
 * end is passed on as a half-close after its last byte, while the other keeps flowing; the
 * tunnel closes in order once both ends have been passed on and flushed. A break (a reset or an
 * error on either side), the idle timeout or the proxy stopping abort it instead: a peer can
 * then tell the stream did not end in order.
 */
public final class Tunnel implements ClientTunnel {
  /**
   * Bytes relayed each way, reported once when the tunnel closes; aborted unless it ended in order.
   * {@code upstreamEndedFirst}: the upstream's end came before the client's (issue 24: who closed
   * first); {@code upstreamAtClose}: the kernel's view of the upstream socket just before it closed.
   */
  public record Totals(long fromClient, long toClient, boolean aborted, boolean upstreamEndedFirst,
      io.hopwise.TcpInfo upstreamAtClose) {}

  private final Vertx vertx;
  private final PeerInput client;
  private final PeerInput upstream;
  private final Duration idleTimeout;
  private final Consumer<Totals> onClosed;
  private final Splice up;
  private final Splice down;
  private boolean closed;
  private long idleTimer = -1;
  private long lastActivityNanos = System.nanoTime();
  private boolean clientEnded;
  private boolean upstreamEndedFirst;

  /**
   * The caller keeps the client's input and calls {@link #fromClient}, {@link #clientEnded} and
   * {@link #close}; the tunnel reads the upstream's input and closes the upstream socket.
   * {@code onClosed} closes (or aborts, as the totals say) the client side.
   */
  public Tunnel(Vertx vertx, PeerInput client, PeerInput upstream, Duration idleTimeout, Consumer<Totals> onClosed) {
    this.vertx = vertx;
    this.client = client;
    this.upstream = upstream;
    this.idleTimeout = idleTimeout;
    this.onClosed = onClosed;
    this.up = new Splice(client, upstream.socket(), this::activity);
    this.down = new Splice(upstream, client.socket(), this::activity);
  }

  /**
   * @param earlyFromClient bytes the client sent before the tunnel existed
   * @param earlyFromUpstream bytes the upstream sent right after its last response head
   */
  public void start(Buffer earlyFromClient, Buffer earlyFromUpstream) {
    up.start(earlyFromClient);
    down.start(earlyFromUpstream);
    upstream.reader(PeerInput.Reader.of(down::relay, () -> {
      upstreamEndedFirst = !clientEnded;
      down.end(this::closeIfBothDone);
    }, cause -> close()));
    down.direct();
    upstream.resume();
    client.resume();
    armIdleTimer();
  }

  /**
   * The client's bytes may from now on go straight to the upstream, bypassing the caller's
   * {@link #fromClient} (which only bytes read before this still reach). A caller that must see
   * the first bytes (the SNI check) calls this once it has.
   */
  public void clientDirect() {
    up.direct();
  }

  @Override
  public void fromClient(Buffer data) {
    up.relay(data);
  }

  /** The client shut down its output (half-close), after the bytes passed to {@link #fromClient}. */
  @Override
  public void clientEnded() {
    clientEnded = true;
    up.end(this::closeIfBothDone);
  }

  private void closeIfBothDone() {
    if (up.done() && down.done() && !closed) {
      // Both ends passed on and flushed: nothing of either stream is left in the proxy.
      finish(false);
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

  /** Aborts both sides (idempotent): the tunnel did not end in order. */
  @Override
  public void close() {
    finish(true);
  }

  private void finish(boolean abort) {
    if (closed) {
      return;
    }
    closed = true;
    vertx.cancelTimer(idleTimer);
    io.hopwise.TcpInfo atClose = io.hopwise.io.TcpInfoProbe.of(upstream.socket());
    SocketClosing.now(upstream.socket(), abort);
    onClosed.accept(new Totals(up.bytes(), down.bytes(), abort, upstreamEndedFirst, atClose));
  }
}
