package io.hopwise.server;

import io.hopwise.io.ConnectionHandler;
import io.hopwise.ProxyListener;
import io.hopwise.ProxyOptions;
import io.hopwise.dumb.DumbRelay;
import io.hopwise.io.DirectWrites;
import io.hopwise.io.WriteCoalescing;
import io.hopwise.upstream.Dialer;
import io.hopwise.upstream.UpstreamPool;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.hopwise.PoolStats;
import io.vertx.core.VerticleBase;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Set;

/**
 * One event loop's share of the proxy: a NetServer (Vert.x spreads accepted connections over the
 * instances bound to the same port) and that loop's own upstream pool.
 */
final class ProxyVerticle extends VerticleBase implements LoopOptions {
  /** Shared by every loop; replaced as a whole by a reload. */
  private final java.util.concurrent.atomic.AtomicReference<ProxyOptions> inForce;
  /** The options this loop started with: where it listens and what mode it runs (never reloaded). */
  private final ProxyOptions options;
  /** Everything this loop's connections report goes through its rings of recent records (issue 24). */
  private final ProxyListener listener;
  private final io.hopwise.view.RecentRecords recent;
  private final Set<ConnectionHandler> connections = new HashSet<>();
  /** The loop's request-head parser and the snapshot it was made for (see {@link LoopOptions#requestParser}). */
  private io.hopwise.io.PendingBytes.HeadParser<io.hopwise.http.RequestHead> requestParser;
  private ProxyOptions parserMadeFor;
  private final PlanFactsMemo planFacts = new PlanFactsMemo();
  private final io.hopwise.http.RequestTarget.Memo targets = new io.hopwise.http.RequestTarget.Memo();
  private NetServer server;
  private UpstreamPool pool;
  /** Every outbound connection (pooled ones, CONNECT tunnels and dumb mode), for {@link #dialerMadeFor}. */
  private Dialer dialer;
  private ProxyOptions dialerMadeFor;

  private final ConnectionLimits limits;
  /** Until when (System.nanoTime) the connection view counts as watched; shared by every loop. */
  private final java.util.concurrent.atomic.AtomicLong watchedUntil;

  private final io.hopwise.policy.ParentHealth parents;

  /** The port to bind: the configured one, or, for port 0, Vert.x's shared random port (see ProxyServer). */
  private final int listenPort;

  ProxyVerticle(java.util.concurrent.atomic.AtomicReference<ProxyOptions> inForce, ProxyListener listener,
      ConnectionLimits limits, java.util.concurrent.atomic.AtomicLong watchedUntil, io.hopwise.policy.ParentHealth parents,
      int listenPort) {
    this.listenPort = listenPort;
    this.parents = parents;
    this.watchedUntil = watchedUntil;
    this.inForce = inForce;
    this.options = inForce.get();
    this.recent = new io.hopwise.view.RecentRecords(listener, options.view().recent());
    this.listener = recent;
    this.limits = limits;
  }

  @Override
  public Future<?> start() {
    pool = new UpstreamPool(vertx, options, listener);
    server = vertx.createNetServer(new NetServerOptions()
        .setHost(options.host())
        .setPort(listenPort)
        .setTcpNoDelay(true));
    boolean dumb = options.mode() == ProxyOptions.Mode.DUMB;

    // The strategy is chosen once, here; neither knows the other exists.
    server.connectHandler(socket -> {
      DirectWrites.install(socket);
      WriteCoalescing.install(socket);
      ProxyOptions now = current();
      String client = io.hopwise.io.SocketAddresses.remoteHost(socket); // not Vert.x's: it would keep its own copy
      if (!now.clientAccess().allows(client)) {
        refuse(now, socket, 403, "client address " + client + " is not allowed to use this proxy");
        return;
      }
      String full = limits.acquire(client, now.limits());
      if (full != null) {
        refuse(now, socket, 503, full);
        return;
      }
      ConnectionHandler[] holder = new ConnectionHandler[1];
      Runnable onClosed = () -> {
        if (connections.remove(holder[0])) {
          limits.release(client);
        }
      };
      holder[0] = dumb
          ? new DumbRelay(vertx, socket, dialer(now), now, listener, onClosed)
          : new ClientConnection(vertx, socket, client, this, now, pool, listener, onClosed);
      connections.add(holder[0]);
      holder[0].start();
    });
    // Counts for metrics, read from other threads: a snapshot taken on this event loop.
    vertx.setPeriodic(1000, t -> snapshot());
    return server.listen().onSuccess(x -> {
      dialer(options);
      snapshot();
    });
  }

  @Override
  public boolean watched() {
    return System.nanoTime() - watchedUntil.get() < 0;
  }

  @Override
  public ProxyOptions current() {
    return inForce.get();
  }

  @Override
  public io.hopwise.io.PendingBytes.HeadParser<io.hopwise.http.RequestHead> requestParser(ProxyOptions snapshot) {
    if (snapshot != parserMadeFor) {
      parserMadeFor = snapshot;
      requestParser = new io.hopwise.http.RequestHeadParser(snapshot.headLimits())::parse;
    }
    return requestParser;
  }

  @Override
  public io.hopwise.http.RequestTarget.Memo targets() {
    return targets;
  }

  @Override
  public io.hopwise.policy.RequestPlanner.Facts planFacts(ProxyOptions snapshot, io.vertx.core.net.NetSocket socket,
      String clientAddress) {
    return planFacts.facts(snapshot, io.hopwise.io.SocketAddresses.local(socket), clientAddress);
  }

  @Override
  public Dialer dialer(ProxyOptions snapshot) {
    if (snapshot != dialerMadeFor) {
      dialerMadeFor = snapshot;
      dialer = new Dialer(vertx, pool.netClient(), pool.tls(), SelfAddresses.addTo(snapshot.access().destinationPolicy(),
          snapshot.host(), server.actualPort()).build(), snapshot.upstream().connectTimeout(), snapshot.routes(), parents,
          snapshot.parents().downForNanos(), listener);
      pool.apply(snapshot, dialer);
      recent.resize(snapshot.view().recent());
    }
    return dialer;
  }

  /**
   * This loop's part of the connection view (issue 24), taken on the loop: its open connections
   * and its recent records.
   */
  Future<io.hopwise.ConnectionsSnapshot> connections() {
    Promise<io.hopwise.ConnectionsSnapshot> done = Promise.promise();
    context.runOnContext(v -> {
      java.util.List<io.hopwise.OpenConnection> open = new ArrayList<>();
      for (ConnectionHandler c : connections) {
        io.hopwise.OpenConnection d = c.describe();
        if (d != null) {
          open.add(d);
        }
      }
      open.addAll(pool.describe());
      done.complete(new io.hopwise.ConnectionsSnapshot(null, false, open, recent.exchanges(), recent.tunnels(),
          recent.clientClosed(), recent.upstreamClosed()));
    });
    return done.future();
  }

  /** A client outside the allow-list: 403 and close, or just close (access.denyAction). */
  private void refuse(ProxyOptions now, io.vertx.core.net.NetSocket socket, int status, String reason) {
    listener.requestRejected(status, reason);
    if (status == 403 && now.access().refuseClientsByClosing()) {
      io.hopwise.io.SocketClosing.now(socket);
    } else {
      socket.write(io.hopwise.io.ErrorResponses.render(new io.hopwise.http.Rejection(status, reason),
          now.pseudonym(), false));
      io.hopwise.io.SocketClosing.graceful(vertx, io.hopwise.io.PeerInput.of(socket, null), now.client().lingerTimeout(), () -> {});
    }
  }

  private volatile PoolStats stats = PoolStats.ZERO;

  private void snapshot() {
    stats = pool.stats(connections.size());
  }

  PoolStats stats() {
    return stats;
  }

  /**
   * Stop accepting; idle client connections close now, busy ones after their current response
   * (which says Connection: close); whatever is still open after {@code timeout} is closed.
   */
  Future<Void> drain(java.time.Duration timeout) {
    Promise<Void> done = Promise.promise();
    context.runOnContext(v -> {
      new ArrayList<>(connections).forEach(ConnectionHandler::drain);
      // Vert.x stops accepting, then waits for the connections (which close themselves as they
      // finish) up to the timeout, then closes the rest.
      server.shutdown(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)
          .onComplete(ar -> {
            new ArrayList<>(connections).forEach(ConnectionHandler::shutdown);
            done.complete();
          });
    });
    return done.future();
  }

  int actualPort() {
    return server.actualPort();
  }

  @Override
  public Future<?> stop() {
    // Hard stop: Vert.x's server close waits for open connections, so close ours first. A
    // paused connection (backpressure) would not even notice its peer has gone.
    new ArrayList<>(connections).forEach(ConnectionHandler::shutdown);
    return pool.close().eventually(server::close);
  }
}
