package io.hopwise.upstream;

import io.hopwise.http.Origin;
import io.hopwise.io.LoopClock;
import io.hopwise.io.SocketClosing;
import io.hopwise.io.TcpInfoProbe;
import io.hopwise.io.WriteCoalescing;
import io.hopwise.policy.Decision;
import io.hopwise.policy.DestinationPolicy;
import io.hopwise.policy.HostSpelling;
import io.hopwise.policy.Parent;
import io.hopwise.policy.ParentHealth;
import io.hopwise.policy.Routes;
import io.hopwise.ProxyListener;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.ConnectOptions;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.SocketAddress;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

/**
 * Every outbound connection goes through here: check the name, resolve it ourselves, check the
 * address we will really connect to, then connect to that address (the name is kept for TLS: SNI
 * and certificate verification). Resolving once and connecting to what was checked is what stops
 * DNS rebinding (issue 5): nothing resolves the name again after the check.
 */
public final class Dialer {
  private static final System.Logger LOG = System.getLogger("io.hopwise.connections");
  private final Vertx vertx;
  private final NetClient client;
  private final DestinationPolicy policy;
  private final int connectTimeoutMillis;
  private final io.vertx.core.net.ClientSSLOptions tls;
  private final Routes routes;
  private final ParentHealth health;
  private final long downForNanos;
  private final ProxyListener listener;

  /**
   * @param tls TLS to origins (trust, hostname verification)
   * @param connectTimeout per connection (the options in force when this dialer was made)
   */
  public Dialer(Vertx vertx, NetClient client, io.vertx.core.net.ClientSSLOptions tls, DestinationPolicy policy,
      java.time.Duration connectTimeout) {
    this(vertx, client, tls, policy, connectTimeout, Routes.DIRECT, new ParentHealth(), 0, ProxyListener.NONE);
  }

  /**
   * @param routes which destinations go through which parents (issue 27)
   * @param health the parents' state, shared by every loop and kept across reloads
   * @param downForNanos how long a parent that failed a connection is skipped
   * @param listener told when a parent is used and when it fails (metrics)
   */
  public Dialer(Vertx vertx, NetClient client, io.vertx.core.net.ClientSSLOptions tls, DestinationPolicy policy,
      java.time.Duration connectTimeout, Routes routes, ParentHealth health, long downForNanos, ProxyListener listener) {
    this.vertx = vertx;
    this.client = client;
    this.tls = tls;
    this.policy = policy;
    this.connectTimeoutMillis = (int) Math.min(Integer.MAX_VALUE, connectTimeout.toMillis());
    this.routes = routes;
    this.health = health;
    this.downForNanos = downForNanos;
    this.listener = listener;
  }

  /** Connects to {@code origin}, or fails with an {@link UpstreamFailure} (403, 502, 504, 508). */
  public Future<NetSocket> dial(Origin origin) {
    return dialTimed(origin, origin.toString()).map(Dialed::socket);
  }

  /** The same, with the destination named {@code shownAs} in failures (a tunnel's authority). */
  public Future<NetSocket> dial(Origin origin, String shownAs) {
    return dialTimed(origin, shownAs).map(Dialed::socket);
  }

  /**
   * A new connection and what each step took (issue 24: the connection view shows DNS, connect
   * and TLS apart). TLS runs as an upgrade of the connected socket rather than inside the
   * connect, so that the TCP handshake and the TLS handshake are timed apart; the trust, the
   * hostname verification and SNI are the connector's as before.
   */
  public Future<Dialed> dialTimed(Origin origin, String shownAs) {
    return dialTimed(origin, shownAs, false);
  }

  /**
   * The same, by the route {@link Routes} gives the destination (issue 27). The destination rules
   * come first whatever the route: the name is checked here, and a target written as an address
   * is checked as that address. A name routed to a parent is not resolved here (inside a
   * corporate network it often cannot be): the parent resolves it, and what the name reaches is
   * the parent's to check. Through a parent, an {@code http} origin's connection is to the
   * parent itself (requests on it go in absolute-form, {@link Dialed#absoluteForm}); a tunnel, and
   * an {@code https} origin, go through a CONNECT to the parent (then TLS to the origin for https).
   *
   * @param tunnel the connection is for a CONNECT tunnel: bytes, never requests in absolute-form
   */
  public Future<Dialed> dialTimed(Origin origin, String shownAs, boolean tunnel) {
    Future<Dialed> refused = refusedByName(origin);
    if (refused != null) {
      return refused;
    }
    HostSpelling.Host host = HostSpelling.classify(origin.host());
    Routes.Choice route = routes.route(origin.host());
    if (!route.direct()) {
      if (host instanceof HostSpelling.Numeric n) {
        Decision byAddress = policy.checkResolved(n.address(), origin.port());
        if (!byAddress.allowed()) {
          return Future.failedFuture(new UpstreamFailure(byAddress.status(), byAddress.reason()));
        }
      }
      return viaParents(origin, shownAs, tunnel, host, route, health.toTry(route.parents(), LoopClock.nanoTime()), 0);
    }
    return direct(origin, shownAs, host).map(d -> d.routed(route.name(), null, null));
  }

  /** The destination rules on the name, first whatever the way (403): the failure, or null when allowed. */
  private Future<Dialed> refusedByName(Origin origin) {
    Decision byName = policy.checkName(origin.host(), origin.port());
    return byName.allowed() ? null : Future.failedFuture(new UpstreamFailure(byName.status(), byName.reason()));
  }

  /**
   * Whether a connection made earlier may carry a request to {@code origin} now: it must go the
   * way a new connection would. A reload may have changed the way (another parent, new
   * credentials, direct); and a connection through a later parent of the route, made while the
   * preferred one was down, gives way once that one is tried again (after downFor), so traffic
   * goes back to it rather than staying wherever a failover left it. When every parent of the
   * route is down, a working connection through any of them is still the best way.
   */
  public boolean stillRoutes(Dialed d, Origin origin) {
    if (d.parent() == null && !routes.anyParent()) {
      return true; // no parents at all: every connection is direct (the common case, no lookup)
    }
    Routes.Choice now = routes.route(origin.host());
    if (d.parent() == null || now.direct()) {
      return d.parent() == null && now.direct();
    }
    long t = LoopClock.nanoTime();
    for (Parent p : now.parents()) {
      if (health.isUp(p.name(), t)) {
        return p.equals(d.parent());
      }
    }
    return now.parents().contains(d.parent());
  }

  /**
   * Dumb mode's way: an old proxy relays the request's bytes unchanged, to the origin or, when a
   * route names parents, to the first of them (as chained proxies of the 1990s did: the lab's
   * smart -> dumb -> smart chain). No failover, no CONNECT, none of our Proxy-Authorization: the
   * bytes are the client's.
   */
  public Future<Dialed> dialDumb(Origin origin, String shownAs) {
    Future<Dialed> refused = refusedByName(origin);
    if (refused != null) {
      return refused;
    }
    Routes.Choice route = routes.route(origin.host());
    if (route.direct()) {
      return direct(origin, shownAs, HostSpelling.classify(origin.host())).map(d -> d.routed(route.name(), null, null));
    }
    Parent parent = route.parents().get(0);
    return connectTo(parent).map(d -> d.routed(route.name(), parent, null).asAbsoluteForm())
        .recover(e -> Future.failedFuture(UpstreamFailure.connectFailed(shownAs, parent.proxy().host(), e)));
  }

  /** The route's parents that are up, in order: the first whose connection works carries it. */
  private Future<Dialed> viaParents(Origin origin, String shownAs, boolean tunnel, HostSpelling.Host host,
      Routes.Choice route, java.util.List<Parent> candidates, int i) {
    if (i >= candidates.size()) {
      String names = route.parents().stream().map(Parent::name).collect(java.util.stream.Collectors.joining(", "));
      return Future.failedFuture(new UpstreamFailure(candidates.isEmpty() ? 503 : 502, (candidates.isEmpty()
          ? "every parent of route " + route.name() + " is down (" + names + "): each is tried again " + downForNanos / 1_000_000
              + " ms after it failed"
          : "no parent of route " + route.name() + " (" + names + ") accepted a connection") + "; destination " + shownAs));
    }
    Parent parent = candidates.get(i);
    if (parent.proxy().isTls() && origin.isTls() && !tunnel) {
      // TLS to the origin inside TLS to the parent: one socket cannot carry two TLS layers here.
      return Future.failedFuture(new UpstreamFailure(502, "parent " + parent.name() + " is an https:// proxy, and an https://"
          + " target through it (TLS inside TLS) is not supported: use an http:// URL for the parent, or CONNECT"));
    }
    return connectTo(parent).transform(ar -> {
      if (ar.failed()) {
        parentFailed(parent, ar.cause() instanceof io.netty.channel.ConnectTimeoutException ? "timeout" : "connect",
            ar.cause().getMessage() + (i + 1 < candidates.size() ? "; trying the next" : ""));
        return viaParents(origin, shownAs, tunnel, host, route, candidates, i + 1);
      }
      health.markUp(parent.name());
      listener.parentUsed(parent.name());
      Dialed toParent = ar.result();
      if (!tunnel && !origin.isTls()) {
        return Future.succeededFuture(toParent.routed(route.name(), parent, null).asAbsoluteForm());
      }
      NetSocket socket = toParent.socket();
      long asked = LoopClock.nanoTime();
      String authority = io.hopwise.http.Authority.forUri(origin.host()) + ":" + origin.port();
      return ParentConnect.open(vertx, socket, parent, authority, shownAs, connectTimeoutMillis).onFailure(e ->
          LOG.log(System.Logger.Level.WARNING, () -> "hopwise: " + e.getMessage())).compose(early -> {
        long opened = LoopClock.nanoTime();
        long connectNanos = toParent.connectNanos() + (opened - asked); // TCP to the parent, then its CONNECT
        if (!origin.isTls()) {
          return Future.succeededFuture(new Dialed(socket, -1, connectNanos, toParent.tlsNanos(), toParent.atConnect())
              .routed(route.name(), parent, early));
        }
        if (early.length() > 0) {
          SocketClosing.now(socket);
          return Future.failedFuture(new UpstreamFailure(502, "parent " + parent.name() + " sent bytes before TLS to " + shownAs));
        }
        String sni = host instanceof HostSpelling.Numeric ? null : origin.host();
        return socket.upgradeToSsl(tls, sni).transform(tr -> {
          if (tr.failed()) {
            SocketClosing.now(socket);
            return Future.failedFuture(UpstreamFailure.connectFailed(shownAs, origin.host(), tr.cause()));
          }
          return Future.succeededFuture(new Dialed(socket, -1, connectNanos, LoopClock.nanoTime() - opened, toParent.atConnect())
              .routed(route.name(), parent, null));
        });
      });
    });
  }

  /**
   * {@code parent} failed a connection ({@code reason}: "connect", "timeout", or "reset" for a new
   * connection reset before any answer): it is skipped for downFor, by every loop.
   */
  void parentFailed(Parent parent, String reason, String detail) {
    health.markDown(parent.name(), LoopClock.nanoTime(), downForNanos);
    listener.parentFailed(parent.name(), reason);
    LOG.log(System.Logger.Level.WARNING, () -> "parent " + parent + " failed (" + detail + "): skipped for "
        + downForNanos / 1_000_000 + " ms");
  }

  /**
   * A connection to a parent: its name resolved here (the operator's choice of parent is not
   * subject to the destination rules: a corporate proxy is often on a private address), TLS to
   * it for an {@code https://} parent.
   */
  private Future<Dialed> connectTo(Parent parent) {
    Origin p = parent.proxy();
    HostSpelling.Host host = HostSpelling.classify(p.host());
    long start = LoopClock.nanoTime();
    return resolve(p, host).compose(address -> connect(p, host, address, start));
  }

  /** Straight to the origin: resolve, check the address, connect, TLS for https. */
  private Future<Dialed> direct(Origin origin, String shownAs, HostSpelling.Host host) {
    long start = LoopClock.nanoTime();
    return resolve(origin, host).compose(address -> {
      Decision byAddress = policy.checkResolved(address.getAddress(), origin.port());
      if (!byAddress.allowed()) {
        return Future.failedFuture(new UpstreamFailure(byAddress.status(), byAddress.reason()));
      }
      return connect(origin, host, address, start)
          .recover(e -> Future.failedFuture(e instanceof UpstreamFailure ? e : UpstreamFailure.connectFailed(shownAs, origin.host(), e)));
    });
  }

  /**
   * TCP to {@code address} (what {@code to} resolved to, {@code start} being when resolving
   * began), then TLS when {@code to} is https: SNI and the verified name are {@code to}'s host.
   */
  private Future<Dialed> connect(Origin to, HostSpelling.Host host, InetAddress address, long start) {
    long resolved = LoopClock.nanoTime();
    long dns = host instanceof HostSpelling.Numeric ? -1 : resolved - start;
    ConnectOptions co = new ConnectOptions()
        .setTimeout(connectTimeoutMillis)
        .setRemoteAddress(SocketAddress.inetSocketAddress(new InetSocketAddress(address, to.port())));
    return client.connect(co).compose(socket -> {
      io.hopwise.io.DirectWrites.install(socket);
      WriteCoalescing.install(socket);
      long connected = LoopClock.nanoTime();
      if (!to.isTls()) {
        return Future.succeededFuture(new Dialed(socket, dns, connected - resolved, -1, TcpInfoProbe.of(socket)));
      }
      // RFC 6066 3: SNI carries names only, never literals.
      String sni = host instanceof HostSpelling.Numeric ? null : to.host();
      return socket.upgradeToSsl(tls, sni).transform(ar -> {
        if (ar.failed()) {
          SocketClosing.now(socket);
          return Future.failedFuture(ar.cause());
        }
        return Future.succeededFuture(new Dialed(socket, dns, connected - resolved, LoopClock.nanoTime() - connected,
            TcpInfoProbe.of(socket)));
      });
    });
  }

  /**
   * A connection just made, with its steps' times in nanoseconds (-1: the step did not happen: no
   * DNS for an address, no TLS for http) and the kernel's view of it once connected (null where
   * the transport cannot say).
   */
  public record Dialed(NetSocket socket, long dnsNanos, long connectNanos, long tlsNanos, io.hopwise.TcpInfo atConnect,
      String route, Parent parent, boolean absoluteForm, Buffer early) {
    public Dialed(NetSocket socket, long dnsNanos, long connectNanos, long tlsNanos, io.hopwise.TcpInfo atConnect) {
      this(socket, dnsNanos, connectNanos, tlsNanos, atConnect, "default", null, false, null);
    }

    /** By {@code route}, through {@code parent} (null: direct); {@code early}: the origin's bytes that came with the parent's 2xx. */
    Dialed routed(String route, Parent parent, Buffer early) {
      return new Dialed(socket, dnsNanos, connectNanos, tlsNanos, atConnect, route, parent, absoluteForm, early);
    }

    /** The connection is to the parent itself: requests go to it in absolute-form, with its Proxy-Authorization. */
    Dialed asAbsoluteForm() {
      return new Dialed(socket, dnsNanos, connectNanos, tlsNanos, atConnect, route, parent, true, early);
    }
  }

  /**
   * One address for the host, carrying the name for TLS verification. A numeric spelling is
   * taken as the address it denotes; a name is resolved off the event loop (the JDK resolver
   * blocks).
   */
  private Future<InetAddress> resolve(Origin origin, HostSpelling.Host h) {
    if (h instanceof HostSpelling.Numeric n) {
      try {
        return Future.succeededFuture(InetAddress.getByAddress(origin.host(), n.address().bytes()));
      } catch (UnknownHostException e) {
        return Future.failedFuture(new UpstreamFailure(502, "invalid address " + origin.host()));
      }
    }
    String name = h instanceof HostSpelling.Name nm ? nm.name() : origin.host();
    return vertx.<InetAddress>executeBlocking(() -> {
      InetAddress resolved = InetAddress.getAllByName(name)[0];
      return InetAddress.getByAddress(name, resolved.getAddress());
    }, false).recover(e -> Future.failedFuture(e instanceof UnknownHostException
        ? new UpstreamFailure(502, "cannot resolve host " + origin.host())
        : new UpstreamFailure(502, "cannot resolve host " + origin.host() + ": " + e.getMessage())));
  }
}
