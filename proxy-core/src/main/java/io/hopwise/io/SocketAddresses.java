package io.hopwise.io;

import io.vertx.core.net.NetSocket;
import io.vertx.core.net.SocketAddress;
import java.net.InetSocketAddress;

/** How logs, records and the connection view write a socket's address: {@code 127.0.0.1:3128}, or "-". */
public final class SocketAddresses {
  private SocketAddresses() {}

  public static String text(SocketAddress a) {
    return a == null ? "-" : a.hostAddress() + ":" + a.port();
  }

  /**
   * The socket's peer as Netty's channel keeps it anyway, or null (not an IP socket). Asking
   * Vert.x instead makes it keep an address object and a host string of its own per connection
   * for as long as the connection lives (about 90 B each way; issue 28), so on the per-connection
   * path the channel's is read.
   */
  public static InetSocketAddress remote(NetSocket socket) {
    io.netty.channel.Channel ch = SocketClosing.channel(socket);
    return ch != null && ch.remoteAddress() instanceof InetSocketAddress a ? a : null;
  }

  /** Where the peer reached us, as Netty's channel keeps it, or null (see {@link #remote}). */
  public static InetSocketAddress local(NetSocket socket) {
    io.netty.channel.Channel ch = SocketClosing.channel(socket);
    return ch != null && ch.localAddress() instanceof InetSocketAddress a ? a : null;
  }

  /** The peer's IP address as text ({@code 127.0.0.1}, {@code 0:0:0:0:0:0:0:1}), as Vert.x's hostAddress() writes it; null if unknown. */
  public static String remoteHost(NetSocket socket) {
    InetSocketAddress a = remote(socket);
    if (a != null) {
      return a.getAddress() == null ? null : a.getAddress().getHostAddress();
    }
    SocketAddress v = socket.remoteAddress();
    return v == null ? null : v.hostAddress();
  }

  /** The peer's address as {@link #text(SocketAddress)} writes it, from the channel (see {@link #remote}). */
  public static String remoteText(NetSocket socket) {
    InetSocketAddress a = remote(socket);
    return a != null ? text(a) : text(socket.remoteAddress());
  }

  /** Our end's address as {@link #text(SocketAddress)} writes it, from the channel (see {@link #remote}). */
  public static String localText(NetSocket socket) {
    InetSocketAddress a = local(socket);
    return a != null ? text(a) : text(socket.localAddress());
  }

  private static String text(InetSocketAddress a) {
    return a.getAddress() == null ? "-" : a.getAddress().getHostAddress() + ":" + a.getPort();
  }
}
