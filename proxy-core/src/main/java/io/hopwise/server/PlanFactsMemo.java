package io.hopwise.server;

import io.hopwise.ProxyOptions;
import io.hopwise.http.Authority;
import io.hopwise.policy.RequestPlanner;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * The request planner's facts about a client connection (its address, where it reached us, the
 * options in force), shared by one loop's connections that have the same ones: the connections of a
 * sidecar's application, or of one browser, all do. Made per connection, they were about 100 B an
 * idle connection kept (issue 28). Remembers the last facts made; no I/O; event loop only.
 */
final class PlanFactsMemo {
  private RequestPlanner.Facts last;
  private ProxyOptions lastOptions;
  private InetAddress lastLocal;

  /**
   * The facts for a connection that reached us at {@code local} (null if unknown) from
   * {@code clientAddress}, under {@code options}.
   */
  RequestPlanner.Facts facts(ProxyOptions options, InetSocketAddress local, String clientAddress) {
    if (local == null || local.getAddress() == null) {
      return make(options, null, local == null ? 0 : local.getPort(), clientAddress); // nothing to compare by
    }
    RequestPlanner.Facts f = last;
    if (f != null && lastOptions == options && f.listenPort() == local.getPort()
        && local.getAddress().equals(lastLocal) && Objects.equals(f.clientAddress(), clientAddress)) {
      return f;
    }
    last = make(options, local.getAddress().getHostAddress(), local.getPort(), clientAddress);
    lastOptions = options;
    lastLocal = local.getAddress();
    return last;
  }

  private static RequestPlanner.Facts make(ProxyOptions options, String localHost, int localPort, String clientAddress) {
    return new RequestPlanner.Facts(options.security().allowTrace(), options.connect().websocket(),
        options.upstream().defaultUpstream(), options.via(), options.host(), localPort,
        reachedAt(localHost, localPort), options.forwarded(), clientAddress, options.compiledRoles());
  }

  /** host:port as a client writes it in a proxy URL (an IPv6 address in brackets). */
  private static String reachedAt(String host, int port) {
    return host == null ? "127.0.0.1:3128" : Authority.forUri(host) + ":" + port;
  }
}
