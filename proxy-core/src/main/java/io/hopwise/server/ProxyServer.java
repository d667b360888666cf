package io.hopwise.server;

import io.hopwise.HopwiseProxy;
import io.hopwise.PoolStats;
import io.hopwise.ProxyListener;
import io.hopwise.ProxyOptions;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Deploys one {@link ProxyVerticle} per event loop in a single deployment: Vert.x shares the
 * port among the instances (port 0 included: all instances get the same random port).
 */
public final class ProxyServer implements HopwiseProxy {
  private final Vertx vertx;
  private final String deployment;
  private final int port;
  private final List<ProxyVerticle> instances;
  /** Read by every event loop as requests begin; replaced whole by {@link #apply}. */
  private final AtomicReference<ProxyOptions> inForce;
  /** A read of the connection view makes exchanges take TCP_INFO at first and last byte for a minute. */
  private final java.util.concurrent.atomic.AtomicLong watchedUntil;
  private static final long WATCH_NANOS = java.util.concurrent.TimeUnit.SECONDS.toNanos(60);

  /** Which parents are down: one state for every loop, kept across reloads (issue 27). */
  private final io.hopwise.policy.ParentHealth parents;

  private ProxyServer(Vertx vertx, String deployment, int port, List<ProxyVerticle> instances,
      AtomicReference<ProxyOptions> inForce, java.util.concurrent.atomic.AtomicLong watchedUntil,
      io.hopwise.policy.ParentHealth parents) {
    this.parents = parents;
    this.watchedUntil = watchedUntil;
    this.vertx = vertx;
    this.inForce = inForce;
    this.deployment = deployment;
    this.port = port;
    this.instances = instances;
  }

  /** Numbers Vert.x's shared random ports, one per proxy started with port 0. */
  private static final java.util.concurrent.atomic.AtomicInteger RANDOM_PORTS = new java.util.concurrent.atomic.AtomicInteger();

  /**
   * Starts listening on {@code options.host():options.port()} with {@code options.eventLoops()}
   * event loops; the future completes once the port is bound.
   */
  public static Future<HopwiseProxy> start(Vertx vertx, ProxyOptions options, ProxyListener listener) {
    List<ProxyVerticle> instances = new CopyOnWriteArrayList<>();
    ConnectionLimits limits = new ConnectionLimits();
    AtomicReference<ProxyOptions> inForce = new AtomicReference<>(options);
    java.util.concurrent.atomic.AtomicLong watchedUntil = new java.util.concurrent.atomic.AtomicLong(System.nanoTime());
    io.hopwise.policy.ParentHealth parents = new io.hopwise.policy.ParentHealth();
    // Port 0 to Vert.x binds each loop's server on a random port of its own, and only the first
    // one's port is reported: the other loops never got a connection. A negative port is Vert.x's
    // random port shared by the servers given the same number; one number per proxy, so that two
    // proxies in one Vert.x (tests, the lab) never share a port.
    int listenPort = options.port() != 0 ? options.port() : -RANDOM_PORTS.incrementAndGet();
    return vertx.deployVerticle(() -> {
      ProxyVerticle v = new ProxyVerticle(inForce, listener, limits, watchedUntil, parents, listenPort);
      instances.add(v);
      return v;
    }, new DeploymentOptions().setInstances(options.eventLoops()))
        .map(id -> new ProxyServer(vertx, id, instances.get(0).actualPort(), List.copyOf(instances), inForce,
            watchedUntil, parents));
  }

  @Override
  public synchronized Future<Void> apply(ProxyOptions next) {
    List<String> restart = inForce.get().restartNeededFor(next);
    if (!restart.isEmpty()) {
      return Future.failedFuture(new IllegalArgumentException(
          String.join(", ", restart) + " cannot change without a restart"));
    }
    inForce.set(next);
    return Future.succeededFuture();
  }

  @Override
  public boolean parentUp(String name) {
    return parents.isUp(name, System.nanoTime());
  }

  @Override
  public Future<io.hopwise.ConnectionsSnapshot> connections() {
    watchedUntil.set(System.nanoTime() + WATCH_NANOS);
    List<Future<io.hopwise.ConnectionsSnapshot>> parts = new java.util.ArrayList<>();
    for (ProxyVerticle v : instances) {
      parts.add(v.connections());
    }
    return Future.all(parts).map(all -> {
      List<io.hopwise.OpenConnection> open = new java.util.ArrayList<>();
      List<io.hopwise.Timed<ProxyListener.ExchangeRecord>> exchanges = new java.util.ArrayList<>();
      List<io.hopwise.Timed<ProxyListener.TunnelRecord>> tunnels = new java.util.ArrayList<>();
      List<io.hopwise.Timed<ProxyListener.ClientConnectionRecord>> clientClosed = new java.util.ArrayList<>();
      List<io.hopwise.Timed<io.hopwise.UpstreamConnectionRecord>> upstreamClosed = new java.util.ArrayList<>();
      for (Future<io.hopwise.ConnectionsSnapshot> f : parts) {
        io.hopwise.ConnectionsSnapshot s = f.result();
        open.addAll(s.open());
        exchanges.addAll(s.exchanges());
        tunnels.addAll(s.tunnels());
        clientClosed.addAll(s.clientClosed());
        upstreamClosed.addAll(s.upstreamClosed());
      }
      String transport = io.hopwise.io.Transports.nameOf(vertx);
      return new io.hopwise.ConnectionsSnapshot(transport, !transport.equals("nio"), open, exchanges, tunnels,
          clientClosed, upstreamClosed);
    });
  }

  @Override
  public ProxyOptions options() {
    return inForce.get();
  }

  @Override
  public int port() {
    return port;
  }

  @Override
  public PoolStats stats() {
    PoolStats sum = PoolStats.ZERO;
    for (ProxyVerticle v : instances) {
      sum = sum.plus(v.stats());
    }
    return sum;
  }

  @Override
  public Future<Void> drain(java.time.Duration timeout) {
    List<Future<Void>> all = new java.util.ArrayList<>();
    for (ProxyVerticle v : instances) {
      all.add(v.drain(timeout));
    }
    return Future.all(all).mapEmpty();
  }

  @Override
  public Future<Void> close() {
    return vertx.undeploy(deployment);
  }
}
