package io.hopwise.server;

import io.hopwise.ProxyOptions;
import io.hopwise.http.Authority;
import io.hopwise.io.SocketAddresses;
import io.hopwise.policy.RequestPlanner;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.SocketAddress;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * The request planner's facts about a client connection (its address, where it reached us, the
 * options in force), shared by one loop's connections that have the same ones: the connections of a
 * sidecar's application, or of one browser, all do. Made per connection, they were about 100 B an
 * idle connection kept (issue 28). Remembers the last facts made; event loop only.
 */
final class PlanFactsMemo {
  private RequestPlanner.Facts last;
  private ProxyOptions lastOptions;
  private InetAddress lastLocal;

  /** The facts for a connection on {@code socket} from {@code clientAddress}, under {@code options}. */
  RequestPlanner.Facts facts(ProxyOptions options, NetSocket socket, String clientAddress) {
    InetSocketAddress local = SocketAddresses.local(socket);
    if (local == null) {
      SocketAddress v = socket.localAddress(); // not an IP socket of Netty's: nothing to share
      return make(options, v == null ? null : v.hostAddress(), v == null ? 0 : v.port(), clientAddress);
    }
    RequestPlanner.Facts f = last;
    if (f != null && lastOptions == options && f.listenPort() == local.getPort()
        && local.getAddress().equals(lastLocal) && f.clientAddress().equals(clientAddress)) {
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
