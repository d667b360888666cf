package io.hopwise.bench;

/** The command line the relays share: LISTEN_PORT ORIGIN_PORT, both on 127.0.0.1; else usage and exit 2. */
record RelayPorts(int listen, int origin) {
  static RelayPorts parse(String relay, String[] args) {
    if (args.length == 2) {
      try {
        int listen = Integer.parseInt(args[0]);
        int origin = Integer.parseInt(args[1]);
        if (listen > 0 && listen <= 65535 && origin > 0 && origin <= 65535) {
          return new RelayPorts(listen, origin);
        }
      } catch (NumberFormatException e) {
        // falls through to the usage message
      }
    }
    System.err.println("usage: " + relay + " LISTEN_PORT ORIGIN_PORT (ports 1-65535, both on 127.0.0.1)");
    System.exit(2);
    throw new AssertionError("unreachable");
  }
}
