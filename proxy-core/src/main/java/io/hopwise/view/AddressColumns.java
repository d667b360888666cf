package io.hopwise.view;

/**
 * One address text per slot ({@code host:port} as {@code SocketAddresses} writes it), kept as the
 * host, shared with every slot that has the same one (see {@link Recurring}), and the port as a
 * number: the port differs per connection, the host mostly does not. Text that is not
 * {@code host:port} ("-", or anything else) is kept whole, and every text comes back exactly.
 */
final class AddressColumns {
  private final String[] host;
  private final int[] port;
  private final Recurring<String> hosts;

  /** @param hosts the ring's table of recurring strings (a ring may share one among its columns) */
  AddressColumns(int n, Recurring<String> hosts) {
    host = new String[n];
    port = new int[n];
    this.hosts = hosts;
  }

  void put(int i, String address) {
    int colon = address == null ? -1 : address.lastIndexOf(':');
    int p = port(address, colon);
    port[i] = p;
    host[i] = hosts.shared(p < 0 ? address : address.substring(0, colon));
  }

  String get(int i) {
    return port[i] < 0 ? host[i] : host[i] + ":" + port[i];
  }

  /**
   * The port of {@code host:port} (the host may hold colons: IPv6 is written without brackets), or
   * -1 when the text is not that (then it is kept whole).
   */
  static int port(String address) {
    return port(address, address == null ? -1 : address.lastIndexOf(':'));
  }

  /** {@link #port(String)} with the last colon's index found already (-1: none). */
  private static int port(String address, int colon) {
    if (colon <= 0 || colon == address.length() - 1 || address.length() - colon > 6) {
      return -1;
    }
    int p = 0;
    for (int k = colon + 1; k < address.length(); k++) {
      char c = address.charAt(k);
      if (c < '0' || c > '9') {
        return -1;
      }
      p = p * 10 + (c - '0');
    }
    // Written back as host + ":" + p: a port with a leading zero would not come back the same.
    boolean noLeadingZero = address.charAt(colon + 1) != '0' || address.length() == colon + 2;
    return p <= 65535 && noLeadingZero ? p : -1;
  }
}
