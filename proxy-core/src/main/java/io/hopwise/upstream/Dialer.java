package io.hopwise.upstream;

import io.hopwise.http.Origin;
import io.hopwise.io.LoopClock;
import io.hopwise.io.SocketClosing;
import io.hopwise.io.TcpInfoProbe;
import io.hopwise.io.WriteCoalescing;
import io.hopwise.policy.Decision;
import io.hopwise.policy.DestinationPolicy;
import io.hopwise.policy.HostSpelling;
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
  private final Vertx vertx;
  private final NetClient client;
  private final DestinationPolicy policy;
  private final int connectTimeoutMillis;
  private final io.vertx.core.net.ClientSSLOptions tls;

  /**
   * @param tls TLS to origins (trust, hostname verification)
   * @param connectTimeout per connection (the options in force when this dialer was made)
   */
  public Dialer(Vertx vertx, NetClient client, io.vertx.core.net.ClientSSLOptions tls, DestinationPolicy policy,
      java.time.Duration connectTimeout) {
    this.vertx = vertx;
    this.client = client;
    this.tls = tls;
    this.policy = policy;
    this.connectTimeoutMillis = (int) Math.min(Integer.MAX_VALUE, connectTimeout.toMillis());
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
    Decision byName = policy.checkName(origin.host(), origin.port());
    if (!byName.allowed()) {
      return Future.failedFuture(new UpstreamFailure(byName.status(), byName.reason()));
    }
    HostSpelling.Host host = HostSpelling.classify(origin.host());
    long start = LoopClock.nanoTime();
    return resolve(origin, host).compose(address -> {
      Decision byAddress = policy.checkResolved(address.getAddress(), origin.port());
      if (!byAddress.allowed()) {
        return Future.failedFuture(new UpstreamFailure(byAddress.status(), byAddress.reason()));
      }
      long resolved = LoopClock.nanoTime();
      long dns = host instanceof HostSpelling.Numeric ? -1 : resolved - start;
      ConnectOptions co = new ConnectOptions()
          .setTimeout(connectTimeoutMillis)
          .setRemoteAddress(SocketAddress.inetSocketAddress(new InetSocketAddress(address, origin.port())));
      return client.connect(co).compose(socket -> {
        WriteCoalescing.install(socket);
        long connected = LoopClock.nanoTime();
        if (!origin.isTls()) {
          return Future.succeededFuture(new Dialed(socket, dns, connected - resolved, -1, TcpInfoProbe.of(socket)));
        }
        // RFC 6066 3: SNI carries names only, never literals.
        String sni = host instanceof HostSpelling.Numeric ? null : origin.host();
        return socket.upgradeToSsl(tls, sni).transform(ar -> {
          if (ar.failed()) {
            SocketClosing.now(socket);
            return Future.failedFuture(ar.cause());
          }
          return Future.succeededFuture(new Dialed(socket, dns, connected - resolved, LoopClock.nanoTime() - connected,
              TcpInfoProbe.of(socket)));
        });
      }).recover(e -> Future.failedFuture(e instanceof UpstreamFailure ? e : UpstreamFailure.connectFailed(shownAs, origin.host(), e)));
    });
  }

  /**
   * A connection just made, with its steps' times in nanoseconds (-1: the step did not happen: no
   * DNS for an address, no TLS for http) and the kernel's view of it once connected (null where
   * the transport cannot say).
   */
  public record Dialed(NetSocket socket, long dnsNanos, long connectNanos, long tlsNanos, io.hopwise.TcpInfo atConnect) {}

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
