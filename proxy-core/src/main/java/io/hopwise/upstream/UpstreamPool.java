package io.hopwise.upstream;

import io.hopwise.ProxyListener;
import io.hopwise.ProxyListener.CloseReason;
import io.hopwise.ProxyOptions;
import io.hopwise.http.Origin;
import io.hopwise.io.Deadline;
import io.hopwise.io.LoopClock;
import io.hopwise.policy.PoolPolicy;
import io.hopwise.policy.WaitQueue;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.PemTrustOptions;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;

/**
 * Persistent upstream connections, per origin (RFC 9112 9.3, http-rules C4): at most
 * {@code maxConnectionsPerOrigin} open, a bounded queue of waiters beyond that, idle connections
 * closed after {@code poolIdleTimeout}, none kept past {@code poolMaxLifetime}. One pool per event
 * loop, so connections and their users share a thread and need no locks.
 */
public final class UpstreamPool {
  private static final System.Logger LOG = System.getLogger("io.hopwise.connections");

  private final Vertx vertx;
  /** The options of the last snapshot applied (issue 26: a reload reaches the pool with the first request under it). */
  private ProxyOptions options;
  private final ProxyListener listener;
  private final NetClient client;
  private final io.vertx.core.net.ClientSSLOptions tls;
  private PoolPolicy policy;
  private final Map<Origin, PerOrigin> origins = new HashMap<>();
  private boolean closing;
  private final java.util.Set<UpstreamConnection> all = new java.util.HashSet<>();

  private Dialer dialer;

  /**
   * Takes a snapshot of the options and its dialer (outbound connections go through its
   * destination policy): its pool settings hold from now on for new connections, and for the
   * idle timeout and lifetime of connections as they are next pooled or taken. Event loop only.
   */
  public void apply(ProxyOptions snapshot, Dialer d) {
    this.options = snapshot;
    this.policy = policyOf(snapshot);
    this.dialer = d;
  }

  private static PoolPolicy policyOf(ProxyOptions o) {
    return new PoolPolicy(o.upstream().maxConnectionsPerOrigin(), o.upstream().maxWaitQueue(), o.upstream().pipelining(),
        o.upstream().maxLifetime().toNanos(), o.upstream().idleTimeout().toMillis());
  }

  /** The client TLS-capable connector, shared with tunnels and dumb mode through a Dialer. */
  public NetClient netClient() {
    return client;
  }

  /** TLS to origins: the trust (the JDK's, or upstream.caFile) and hostname verification. */
  public io.vertx.core.net.ClientSSLOptions tls() {
    return tls;
  }

  public UpstreamPool(Vertx vertx, ProxyOptions options, ProxyListener listener) {
    this.vertx = vertx;
    this.options = options;
    this.listener = listener;
    this.policy = policyOf(options);
    NetClientOptions clientOptions = new NetClientOptions()
        .setTcpNoDelay(true)
        .setConnectTimeout((int) options.upstream().connectTimeout().toMillis())
        .setHostnameVerificationAlgorithm("HTTPS");
    tls = new io.vertx.core.net.ClientSSLOptions().setHostnameVerificationAlgorithm("HTTPS");
    if (options.upstream().caFile() != null) {
      clientOptions.setTrustOptions(new PemTrustOptions().addCertPath(options.upstream().caFile()));
      tls.setTrustOptions(new PemTrustOptions().addCertPath(options.upstream().caFile()));
    }
    this.client = vertx.createNetClient(clientOptions);
  }

  private static final class PerOrigin {
    final ArrayDeque<UpstreamConnection> idle = new ArrayDeque<>();
    /** Requests waiting for a connection, oldest first; all wait the same time at most. */
    final WaitQueue<Promise<UpstreamConnection>> waiters;
    /** The oldest waiter's deadline: one timer for the queue rather than one per waiter. */
    Deadline waitDeadline;
    /**
     * Lent out to exchanges, oldest first; candidates for pipelining. A list: it holds at most
     * maxConnectionsPerOrigin, and a hash set's node per lending cost more than the scans.
     */
    final ArrayList<UpstreamConnection> active = new ArrayList<>();
    int open;

    PerOrigin(long waitNanos) {
      waiters = new WaitQueue<>(waitNanos);
    }

    void lend(UpstreamConnection c) {
      if (!active.contains(c)) {
        active.add(c);
      }
    }
  }

  /** An idle pooled connection, a new one, or a place in the queue; fails with UpstreamFailure. */
  public Future<UpstreamConnection> acquire(Origin origin) {
    return acquire(origin, false, false);
  }

  /**
   * @param fresh a new connection, never a pooled one (for a retry after a stale connection);
   *     an idle pooled connection is closed to make room if the origin is at its limit
   * @param pipelinable the request may be written on a busy connection (idempotent, no body)
   */
  public Future<UpstreamConnection> acquire(Origin origin, boolean fresh, boolean pipelinable) {
    if (closing) {
      return Future.failedFuture(new UpstreamFailure(503, "proxy is shutting down"));
    }
    PerOrigin p = entry(origin, fresh);
    long now = LoopClock.nanoTime();
    while (!fresh && !p.idle.isEmpty()) {
      // Most recently used first: it is the least likely to have been closed by the upstream.
      UpstreamConnection c = p.idle.pollLast();
      c.idleDeadline.disarm();
      if (!dialer.stillRoutes(c.dialed, origin)) {
        c.closeNow(CloseReason.NOT_REUSABLE); // a reload changed the way to this origin (issue 27)
        continue;
      }
      if (c.isOpen() && policy.withinLifetime(c.createdNanos(), now)) {
        c.idleNanos = now - c.idleSinceNanos;
        listener.upstreamConnectionReused(origin);
        p.lend(c);
        return Future.succeededFuture(c);
      }
      c.closeNow(CloseReason.MAX_LIFETIME);
    }
    PoolPolicy.WithoutIdle next = policy.withoutIdle(p.open, p.waiters.size(), fresh, pipelinable);
    if (next == PoolPolicy.WithoutIdle.CONNECT) {
      return connect(origin, p);
    }
    if (next == PoolPolicy.WithoutIdle.TRY_PIPELINING) {
      for (UpstreamConnection c : p.active) {
        if (c.canPipeline(policy) && dialer.stillRoutes(c.dialed, origin)) {
          c.idleNanos = 0;
          listener.upstreamConnectionReused(origin);
          return Future.succeededFuture(c);
        }
      }
      next = policy.queueOrRefuse(p.waiters.size());
    }
    if (next == PoolPolicy.WithoutIdle.REFUSE) {
      return Future.failedFuture(new UpstreamFailure(503, "too many requests waiting for a connection to " + origin));
    }
    Promise<UpstreamConnection> waiter = Promise.promise();
    p.waiters.add(waiter, now);
    if (p.waitDeadline == null) {
      p.waitDeadline = new Deadline(vertx, () -> waitersExpired(origin, p));
    }
    if (!p.waitDeadline.isArmed()) {
      p.waitDeadline.arm(p.waiters.nextDueMillis(now));
    }
    return waiter.future();
  }

  /**
   * The origin's entry, made if missing: usually one map lookup, as this runs for every request.
   * For a fresh connection at the limit, an idle one is closed first to make room.
   */
  private PerOrigin entry(Origin origin, boolean fresh) {
    PerOrigin p = origins.get(origin);
    if (p != null && fresh && !p.idle.isEmpty() && p.open >= policy.maxPerOrigin()) {
      UpstreamConnection oldest = p.idle.pollFirst();
      oldest.idleDeadline.disarm();
      oldest.closeNow(CloseReason.NOT_REUSABLE);
      p = origins.get(origin); // closing the last connection drops the entry
    }
    if (p == null) {
      p = new PerOrigin(options.upstream().connectTimeout().toNanos());
      origins.put(origin, p);
    }
    return p;
  }

  /** Fails the waiters whose time is up (the oldest ones) and arms for the next. */
  private void waitersExpired(Origin origin, PerOrigin p) {
    long now = LoopClock.nanoTime();
    for (Promise<UpstreamConnection> w : p.waiters.expire(now)) {
      w.tryFail(new UpstreamFailure(503, "no connection to " + origin + " became free in time"));
    }
    long next = p.waiters.nextDueMillis(now);
    if (next > 0) {
      p.waitDeadline.arm(next);
    }
  }

  /** A new connection to {@code parent} broke before any answer: the parent is failing. */
  void parentBroke(io.hopwise.policy.Parent parent, String why) {
    dialer.parentFailed(parent, "reset", why);
  }

  private Future<UpstreamConnection> connect(Origin origin, PerOrigin p) {
    p.open++;
    return dialer.dialTimed(origin, origin.toString()).transform(ar -> {
      if (ar.succeeded()) {
        listener.upstreamConnectionOpened(origin);
        UpstreamConnection c = new UpstreamConnection(ar.result(), origin, this);
        all.add(c);
        p.lend(c);
        LOG.log(System.Logger.Level.DEBUG, () -> "upstream open " + c.describe());
        return Future.succeededFuture(c);
      }
      p.open--;
      serveWaiter(origin, p);
      return Future.failedFuture(ar.cause() instanceof UpstreamFailure f ? f : UpstreamFailure.connectFailed(origin.toString(), origin.host(), ar.cause()));
    });
  }

  /** The exchange on {@code c} ended; keep it for reuse or close it. */
  void release(UpstreamConnection c, boolean reusable) {
    PerOrigin p = origins.get(c.origin());
    p.active.remove(c);
    long now = LoopClock.nanoTime();
    if (!reusable || closing || !c.isOpen() || !policy.withinLifetime(c.createdNanos(), now)) {
      c.closeNow(reusable ? CloseReason.MAX_LIFETIME : CloseReason.NOT_REUSABLE);
      return;
    }
    c.socket().drainHandler(null);
    c.resume();
    Promise<UpstreamConnection> waiter = p.waiters.poll();
    if (waiter != null) {
      c.idleNanos = 0;
      listener.upstreamConnectionReused(c.origin());
      p.lend(c);
      waiter.complete(c);
      return;
    }
    c.idleDeadline.arm(policy.idleMillis(c.budget));
    c.idleSinceNanos = now;
    p.idle.add(c);
  }

  Vertx vertx() {
    return vertx;
  }

  /** A pooled connection sat idle too long (its deadline is armed only while it is idle). */
  void idleExpired(UpstreamConnection c) {
    PerOrigin p = origins.get(c.origin());
    if (p != null && p.idle.remove(c)) {
      c.closeNow(CloseReason.IDLE_TIMEOUT);
    }
  }

  /** {@code c} was upgraded to another protocol: no longer ours to count, reuse or close. */
  void detach(UpstreamConnection c) {
    c.idleDeadline.cancel(); // a timer left from an idle spell would keep it reachable
    all.remove(c);
    PerOrigin p = origins.get(c.origin());
    if (p != null) {
      p.active.remove(c);
      p.open--;
      serveWaiter(c.origin(), p);
    }
  }

  /** {@code c} is closed, whoever closed it. */
  void closed(UpstreamConnection c, io.hopwise.UpstreamConnectionRecord record) {
    all.remove(c);
    LOG.log(System.Logger.Level.DEBUG, () -> "upstream closed " + c.describe() + " reason=" + record.reason()
        + (record.detail() == null ? "" : " (" + record.detail() + ")") + " first=" + record.first().configName());
    PerOrigin p = origins.get(c.origin());
    listener.upstreamConnectionClosed(record);
    if (p == null) {
      return;
    }
    p.idle.remove(c);
    p.active.remove(c);
    c.idleDeadline.cancel();
    p.open--;
    serveWaiter(c.origin(), p);
    if (p.open == 0 && p.waiters.isEmpty()) {
      origins.remove(c.origin());
      if (p.waitDeadline != null) {
        p.waitDeadline.cancel(); // its timer would keep the entry reachable
      }
    }
  }

  private void serveWaiter(Origin origin, PerOrigin p) {
    if (!p.waiters.isEmpty() && p.open < policy.maxPerOrigin() && !closing) {
      connect(origin, p).onComplete(p.waiters.poll());
    }
  }

  /** The open connections, as the connection view lists them (issue 24); event loop only. */
  public java.util.List<io.hopwise.OpenConnection> describe() {
    long now = LoopClock.nanoTime();
    java.util.List<io.hopwise.OpenConnection> out = new ArrayList<>();
    for (UpstreamConnection c : all) {
      boolean idle = c.idleDeadline.isArmed(); // armed exactly while it waits in the idle list
      out.add(c.open(idle, now, idle ? policy.idleMillis(c.budget) - (now - c.idleSinceNanos) / 1_000_000 : -1));
    }
    return out;
  }

  /** Counts for metrics; call on this pool's event loop. */
  public io.hopwise.PoolStats stats(int clientConnections) {
    int open = 0;
    int idle = 0;
    int waiting = 0;
    for (PerOrigin p : origins.values()) {
      open += p.open;
      idle += p.idle.size();
      waiting += p.waiters.size();
    }
    return new io.hopwise.PoolStats(open, idle, waiting, clientConnections);
  }

  public Future<Void> close() {
    closing = true;
    for (PerOrigin p : origins.values()) {
      for (Promise<UpstreamConnection> w : p.waiters.drain()) {
        w.tryFail(new UpstreamFailure(503, "proxy is shutting down"));
      }
      if (p.waitDeadline != null) {
        p.waitDeadline.cancel();
      }
    }
    new ArrayList<>(all).forEach(c -> c.closeNow(CloseReason.SHUTDOWN));
    return client.close();
  }
}
