package io.hopwise.io;

import io.vertx.core.net.SocketAddress;

/** How logs, records and the connection view write a socket's address: {@code 127.0.0.1:3128}, or "-". */
public final class SocketAddresses {
  private SocketAddresses() {}

  public static String text(SocketAddress a) {
    return a == null ? "-" : a.hostAddress() + ":" + a.port();
  }
}
