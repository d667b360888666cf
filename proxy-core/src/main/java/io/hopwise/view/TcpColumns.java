package io.hopwise.view;

import io.hopwise.TcpInfo;

/**
 * One TCP_INFO snapshot per slot (or none), as eleven numbers: a ring keeps no TcpInfo object
 * (see {@link ColumnRing}). The numbers (88 KB for 1,000 slots) are allocated with the first
 * snapshot, so a ring that never gets one (no tunnels, a transport that cannot say) costs a flag
 * per slot.
 */
final class TcpColumns {
  private static final int FIELDS = 11;
  private final boolean[] has;
  private long[] v;

  TcpColumns(int n) {
    has = new boolean[n];
  }

  void put(int i, TcpInfo t) {
    has[i] = t != null;
    if (t == null) {
      return;
    }
    if (v == null) {
      v = new long[has.length * FIELDS];
    }
    int o = i * FIELDS;
    v[o] = t.rttMicros();
    v[o + 1] = t.rttVarMicros();
    v[o + 2] = t.sndCwnd();
    v[o + 3] = t.sndSsthresh();
    v[o + 4] = t.retransmits();
    v[o + 5] = t.totalRetrans();
    v[o + 6] = t.unacked();
    v[o + 7] = t.pacingRate();
    v[o + 8] = t.deliveryRate();
    v[o + 9] = t.bytesAcked();
    v[o + 10] = t.bytesReceived();
  }

  /** The snapshot in slot {@code i}, made again, or null. */
  TcpInfo get(int i) {
    if (!has[i]) {
      return null;
    }
    int o = i * FIELDS;
    return new TcpInfo(v[o], v[o + 1], v[o + 2], v[o + 3], (int) v[o + 4], v[o + 5], v[o + 6], v[o + 7], v[o + 8],
        v[o + 9], v[o + 10]);
  }
}
