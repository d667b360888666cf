package io.hopwise.view;

import io.hopwise.TcpInfo;
import io.hopwise.UpstreamLeg;

/**
 * One upstream leg per slot (or none), as columns (see {@link ColumnRing}): an exchange's or a
 * tunnel's connection, its times, and the kernel's view at connect as numbers. The snapshots at
 * the first and last byte (taken only while someone watches), the route and the parent are kept
 * as they are: rare, or shared already (the route and parent names come from the configuration).
 */
final class UpstreamLegColumns {
  private final boolean[] has;
  private final long[] connection;
  private final boolean[] reused;
  private final long[] idle;
  private final long[] dns;
  private final long[] connect;
  private final long[] tls;
  private final long[] wait;
  private final long[] transfer;
  private final TcpColumns atConnect;
  /** atFirstByte, atLastByte, route, parent, per slot. */
  private final Object[] refs;
  private static final int REFS = 4;

  UpstreamLegColumns(int n) {
    has = new boolean[n];
    connection = new long[n];
    reused = new boolean[n];
    idle = new long[n];
    dns = new long[n];
    connect = new long[n];
    tls = new long[n];
    wait = new long[n];
    transfer = new long[n];
    atConnect = new TcpColumns(n);
    refs = new Object[n * REFS];
  }

  void put(int i, UpstreamLeg u) {
    has[i] = u != null;
    int o = i * REFS;
    if (u == null) {
      refs[o] = null;
      refs[o + 1] = null;
      refs[o + 2] = null;
      refs[o + 3] = null;
      return;
    }
    connection[i] = u.connection();
    reused[i] = u.reused();
    idle[i] = u.idleNanos();
    dns[i] = u.dnsNanos();
    connect[i] = u.connectNanos();
    tls[i] = u.tlsNanos();
    wait[i] = u.waitNanos();
    transfer[i] = u.transferNanos();
    atConnect.put(i, u.atConnect());
    refs[o] = u.atFirstByte();
    refs[o + 1] = u.atLastByte();
    refs[o + 2] = u.route();
    refs[o + 3] = u.parent();
  }

  /** The leg in slot {@code i}, made again, or null. */
  UpstreamLeg get(int i) {
    if (!has[i]) {
      return null;
    }
    int o = i * REFS;
    return new UpstreamLeg(connection[i], reused[i], idle[i], dns[i], connect[i], tls[i], wait[i], transfer[i],
        atConnect.get(i), (TcpInfo) refs[o], (TcpInfo) refs[o + 1], (String) refs[o + 2], (String) refs[o + 3]);
  }
}
