package io.hopwise.upstream;

import io.hopwise.http.Origin;
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

  /** @param connectTimeout per connection (the options in force when this dialer was made) */
  public Dialer(Vertx vertx, NetClient client, DestinationPolicy policy, java.time.Duration connectTimeout) {
    this.vertx = vertx;
    this.client = client;
    this.policy = policy;
    this.connectTimeoutMillis = (int) Math.min(Integer.MAX_VALUE, connectTimeout.toMillis());
  }

  /** Connects to {@code origin}, or fails with an {@link UpstreamFailure} (403, 502, 504, 508). */
  public Future<NetSocket> dial(Origin origin) {
    return dial(origin, origin.toString());
  }

  /** The same, with the destination named {@code shownAs} in failures (a tunnel's authority). */
  public Future<NetSocket> dial(Origin origin, String shownAs) {
    Decision byName = policy.checkName(origin.host(), origin.port());
    if (!byName.allowed()) {
      return Future.failedFuture(new UpstreamFailure(byName.status(), byName.reason()));
    }
    HostSpelling.Host host = HostSpelling.classify(origin.host());
    return resolve(origin, host).compose(address -> {
      Decision byAddress = policy.checkResolved(address.getAddress(), origin.port());
      if (!byAddress.allowed()) {
        return Future.failedFuture(new UpstreamFailure(byAddress.status(), byAddress.reason()));
      }
      ConnectOptions co = new ConnectOptions()
          .setTimeout(connectTimeoutMillis)
          .setRemoteAddress(SocketAddress.inetSocketAddress(new InetSocketAddress(address, origin.port())));
      if (origin.isTls()) {
        co.setSsl(true);
        if (!(host instanceof HostSpelling.Numeric)) {
          co.setSniServerName(origin.host()); // RFC 6066 3: names only, never literals
        }
      }
      return client.connect(co).onSuccess(WriteCoalescing::install).recover(e -> Future.failedFuture(UpstreamFailure.connectFailed(shownAs, origin.host(), e)));
    });
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
