package io.hopwise.server;

import io.hopwise.policy.DestinationPolicy;
import io.hopwise.policy.IpAddress;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Our own listening addresses, for the destination policy's loop rule (http-rules D2). */
final class SelfAddresses {
  private SelfAddresses() {}

  static DestinationPolicy.Builder addTo(DestinationPolicy.Builder b, String listenHost, int port) {
    String host = listenHost.equals("localhost") ? "127.0.0.1" : listenHost;
    IpAddress.parse(host).ifPresent(a -> {
      b.listenAddress(a.bytes(), port);
      if (a.isUnspecified()) {
        b.localAddresses(interfaceAddresses());
      }
    });
    return b;
  }

  /** Every address of this host's interfaces; a wildcard listener is reachable on all of them. */
  private static List<byte[]> interfaceAddresses() {
    List<byte[]> all = new ArrayList<>();
    try {
      for (NetworkInterface nif : Collections.list(NetworkInterface.getNetworkInterfaces())) {
        for (InetAddress a : Collections.list(nif.getInetAddresses())) {
          all.add(a.getAddress());
        }
      }
    } catch (SocketException e) {
      // Without the list, loopback still counts as ours; names are caught by LoopDetection.
    }
    return all;
  }
}
