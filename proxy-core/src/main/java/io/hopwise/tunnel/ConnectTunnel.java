package io.hopwise.tunnel;

import io.hopwise.ProxyListener;
import io.hopwise.ProxyOptions;
import io.hopwise.http.Authority;
import io.hopwise.http.HttpFields;
import io.hopwise.http.LoopDetection;
import io.hopwise.http.Origin;
import io.hopwise.http.Rejection;
import io.hopwise.io.SocketClosing;
import io.hopwise.upstream.UpstreamPool;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetSocket;

/**
 * CONNECT (RFC 9110 9.3.6, http-rules C6): check the port, connect first, then answer 200 with no
 * framing and splice both ways. Bytes the client sent before our 200 are forwarded, never parsed.
 * Each direction's end is passed on as a half-close; the tunnel closes when both have ended,
 * either side closes, or nothing moves for {@code tunnelIdleTimeout}.
 */
public final class ConnectTunnel {
  /** What the tunnel needs from the client connection that asked for it. */
  public interface ClientSide {
    NetSocket socket();

    /** Refuse with an error response and close; the early bytes are discarded. */
    void refuse(Rejection rejection);

    /** The tunnel is over; close the client connection now. */
    void tunnelClosed();
  }

  private static final Buffer ESTABLISHED = Buffer.buffer("HTTP/1.1 200 Connection established\r\n\r\n");

  private final Vertx vertx;
  private final ClientSide client;
  private final Authority target;
  private final ProxyOptions options;
  private final ProxyListener listener;
  private final NetClient connector;
  private final int listenPort;
  private final long startNanos = System.nanoTime();
  private Buffer early;
  private NetSocket upstream;
  private Splice up;
  private Splice down;
  private boolean clientEnded;
  private boolean closed;
  private long idleTimer = -1;
  private long lastActivityNanos = System.nanoTime();

  public ConnectTunnel(Vertx vertx, ClientSide client, Authority target, Buffer early, ProxyOptions options,
      ProxyListener listener, NetClient connector, int listenPort) {
    this.vertx = vertx;
    this.client = client;
    this.target = target;
    this.early = early.copy();
    this.options = options;
    this.listener = listener;
    this.connector = connector;
    this.listenPort = listenPort;
  }

  public void start() {
    if (!options.connectPorts().contains(target.port())) {
      client.refuse(new Rejection(403, "CONNECT to port " + target.port() + " is not allowed (allowed: "
          + options.connectPorts() + ")"));
      return;
    }
    Origin asOrigin = new Origin("https", target.host(), target.port());
    String loop = LoopDetection.loop(HttpFields.EMPTY, asOrigin, null, options.host(), listenPort);
    if (loop != null) {
      client.refuse(new Rejection(508, loop));
      return;
    }
    NetSocket socket = client.socket();
    socket.pause();
    // RFC 9110 9.3.6: connect first; only a working tunnel is answered with 2xx.
    connector.connect(target.port(), target.host()).onComplete(ar -> {
      if (ar.failed()) {
        client.refuse(UpstreamPool.classify(asOrigin, ar.cause()).toRejection());
        return;
      }
      if (closed) {
        SocketClosing.now(ar.result());
        return;
      }
      established(ar.result());
    });
  }

  /** Data the client connection received while we were connecting (it is paused, but not instantly). */
  public void fromClient(Buffer data) {
    if (up != null) {
      up.relay(data);
    } else if (early != null) {
      early.appendBuffer(data);
    }
  }

  private void established(NetSocket s) {
    upstream = s;
    listener.tunnelOpened(target.host(), target.port());
    NetSocket socket = client.socket();
    socket.write(ESTABLISHED);
    up = new Splice(socket, upstream, this::activity);
    down = new Splice(upstream, socket, this::activity);
    SocketClosing.onInputShutdown(upstream, this::upstreamEnded);
    upstream.closeHandler(v -> close());
    upstream.exceptionHandler(e -> close());
    Buffer pending = early;
    early = null;
    up.start(pending);
    down.start(null);
    if (clientEnded) {
      up.end();
    }
    armIdleTimer();
  }

  /** The client shut down its output (half-close). */
  public void clientEnded() {
    clientEnded = true;
    if (up != null) {
      up.end();
      closeIfBothEnded();
    }
  }

  private void upstreamEnded() {
    down.end();
    closeIfBothEnded();
  }

  private void closeIfBothEnded() {
    if (up.ended() && down.ended()) {
      // Let the last half-close flush before closing both.
      vertx.setTimer(50, t -> close());
    }
  }

  private void activity() {
    lastActivityNanos = System.nanoTime();
  }

  private void armIdleTimer() {
    long idle = options.tunnelIdleTimeout().toMillis();
    idleTimer = vertx.setTimer(idle, t -> {
      long quietMillis = (System.nanoTime() - lastActivityNanos) / 1_000_000;
      if (quietMillis >= idle) {
        close();
      } else if (!closed) {
        idleTimer = vertx.setTimer(idle - quietMillis, t2 -> armIdleTimer());
      }
    });
  }

  /** The client connection closed, or the proxy is stopping. */
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    vertx.cancelTimer(idleTimer);
    if (upstream != null) {
      SocketClosing.now(upstream);
      listener.tunnelClosed(new ProxyListener.TunnelRecord(target.host(), target.port(),
          up.bytes(), down.bytes(), System.nanoTime() - startNanos));
    }
    client.tunnelClosed();
  }
}
