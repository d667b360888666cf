package io.hopwise.view;

import io.hopwise.FirstToClose;
import io.hopwise.ProxyListener.ClientCloseReason;
import io.hopwise.ProxyListener.ClientConnectionRecord;
import io.hopwise.TcpInfo;
import io.hopwise.Timed;
import java.util.ArrayList;
import java.util.List;

/**
 * The last {@code capacity} closed client connections of one event loop, as columns (like
 * {@link ExchangeRing}): numbers in arrays, the remote host and our address shared (see {@link Recurring}),
 * the remote port and the kernel's figures as numbers. Keeping the record objects (a record, its two
 * address strings, its TCP_INFO and a timestamp, about 290 B) had every young collection copy the
 * last 1,000 of them under a connection per request, about 600 KB per loop (issue 28).
 * {@link #snapshot} builds the records again. One writer and readers on the same thread.
 */
final class ClientClosedRing {
  private static final int TCP = 11;
  private static final ClientCloseReason[] REASONS = ClientCloseReason.values();
  private static final FirstToClose[] FIRSTS = FirstToClose.values();

  private Slots slots;
  private long[] at;
  private long[] id;
  private int[] requests;
  private byte[] reason;
  private byte[] first;
  private long[] age;
  /** The remote host (or the whole text when it is not host:port) and its port, or -1. */
  private String[] remoteHost;
  private int[] remotePort;
  /** Our end, whole: the same for every connection to a listener, so one shared string. */
  private String[] local;
  private boolean[] hasTcp;
  private long[] tcp;
  private final Recurring<String> addresses = new Recurring<>(64); // remote hosts, local addresses

  ClientClosedRing(int capacity) {
    allocate(capacity);
  }

  private void allocate(int n) {
    slots = new Slots(n);
    at = new long[n];
    id = new long[n];
    requests = new int[n];
    reason = new byte[n];
    first = new byte[n];
    age = new long[n];
    remoteHost = new String[n];
    remotePort = new int[n];
    local = new String[n];
    hasTcp = new boolean[n];
    tcp = new long[n * TCP];
  }

  void add(long atMillis, ClientConnectionRecord r) {
    int i = slots.take();
    if (i < 0) {
      return;
    }
    at[i] = atMillis;
    id[i] = r.id();
    requests[i] = r.requests();
    reason[i] = (byte) r.reason().ordinal();
    first[i] = (byte) r.first().ordinal();
    age[i] = r.ageNanos();
    remotePort[i] = port(r.remote());
    remoteHost[i] = addresses.shared(host(r.remote(), remotePort[i]));
    local[i] = addresses.shared(r.local());
    TcpInfo t = r.atClose();
    hasTcp[i] = t != null;
    if (t != null) {
      int o = i * TCP;
      tcp[o] = t.rttMicros();
      tcp[o + 1] = t.rttVarMicros();
      tcp[o + 2] = t.sndCwnd();
      tcp[o + 3] = t.sndSsthresh();
      tcp[o + 4] = t.retransmits();
      tcp[o + 5] = t.totalRetrans();
      tcp[o + 6] = t.unacked();
      tcp[o + 7] = t.pacingRate();
      tcp[o + 8] = t.deliveryRate();
      tcp[o + 9] = t.bytesAcked();
      tcp[o + 10] = t.bytesReceived();
    }
  }

  /**
   * The port of {@code host:port} as {@code SocketAddresses} writes it (the host may hold colons:
   * IPv6 is written without brackets), or -1 when the text is not that (then it is kept whole).
   */
  static int port(String address) {
    int colon = address == null ? -1 : address.lastIndexOf(':');
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

  private static String host(String address, int port) {
    return port < 0 ? address : address.substring(0, address.lastIndexOf(':'));
  }

  private static String address(String host, int port) {
    return port < 0 ? host : host + ":" + port;
  }

  /** The records kept, oldest first, made again. */
  List<Timed<ClientConnectionRecord>> snapshot() {
    int n = slots.kept();
    List<Timed<ClientConnectionRecord>> out = new ArrayList<>(n);
    for (int k = 0; k < n; k++) {
      int i = slots.slot(k);
      TcpInfo t = null;
      if (hasTcp[i]) {
        int o = i * TCP;
        t = new TcpInfo(tcp[o], tcp[o + 1], tcp[o + 2], tcp[o + 3], (int) tcp[o + 4], tcp[o + 5], tcp[o + 6],
            tcp[o + 7], tcp[o + 8], tcp[o + 9], tcp[o + 10]);
      }
      out.add(new Timed<>(at[i], new ClientConnectionRecord(id[i], address(remoteHost[i], remotePort[i]),
          local[i], requests[i], REASONS[reason[i]], FIRSTS[first[i]], age[i], t)));
    }
    return out;
  }

  /** A new capacity (a reload): the newest records that fit are kept. */
  void resize(int newCapacity) {
    if (newCapacity == slots.capacity()) {
      return;
    }
    List<Timed<ClientConnectionRecord>> kept = snapshot();
    allocate(newCapacity);
    Slots.newest(kept, newCapacity).forEach(t -> add(t.atMillis(), t.record()));
  }
}
