package io.hopwise.view;

import io.hopwise.ClientLeg;
import io.hopwise.TcpInfo;

/**
 * One client leg per slot (or none), as columns (see {@link ColumnRing}): the connection and the
 * request's number on it; the kernel's view at the last byte (taken only while someone watches) is
 * kept as it is.
 */
final class ClientLegColumns {
  private final boolean[] has;
  private final long[] connection;
  private final int[] request;
  private final TcpInfo[] atLastByte;

  ClientLegColumns(int n) {
    has = new boolean[n];
    connection = new long[n];
    request = new int[n];
    atLastByte = new TcpInfo[n];
  }

  void put(int i, ClientLeg c) {
    has[i] = c != null;
    if (c == null) {
      atLastByte[i] = null; // the numbers left behind are never read: get looks at has first
      return;
    }
    connection[i] = c.connection();
    request[i] = c.request();
    atLastByte[i] = c.atLastByte();
  }

  /** The leg in slot {@code i}, made again, or null. */
  ClientLeg get(int i) {
    return has[i] ? new ClientLeg(connection[i], request[i], atLastByte[i]) : null;
  }
}
