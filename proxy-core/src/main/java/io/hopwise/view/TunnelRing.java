package io.hopwise.view;

import io.hopwise.ProxyListener.TunnelRecord;
import io.hopwise.policy.RoleVerdict;

/**
 * The last {@code capacity} CONNECT tunnels of one event loop, as columns (see {@link ColumnRing}).
 * Every tunnel is a new upstream connection with its TCP_INFO at connect: under short tunnels
 * (browsers' and clients' HTTPS connections) keeping the records, with the upstream-closed ring's,
 * had every young collection copy about 1.5 MB and tripled the pause (2.1 against 0.7 ms at 6,000
 * tunnels a second; issue 28).
 */
final class TunnelRing extends ColumnRing<TunnelRecord> {
  private final Recurring<String> strings = new Recurring<>(64); // client addresses, hosts, users
  private final Recurring<RoleVerdict> verdicts = new Recurring<>(16);
  private int[] port;
  private long[] fromClient;
  private long[] toClient;
  private long[] duration;
  private boolean[] aborted;
  private ClientLegColumns client;
  private UpstreamLegColumns upstream;
  /** clientAddress, host, user, verdict, per slot. */
  private Object[] refs;
  private static final int REFS = 4;

  TunnelRing(int capacity) {
    allocate(capacity);
  }

  @Override
  protected void columns(int n) {
    port = new int[n];
    fromClient = new long[n];
    toClient = new long[n];
    duration = new long[n];
    aborted = new boolean[n];
    client = new ClientLegColumns(n);
    upstream = new UpstreamLegColumns(n);
    refs = new Object[n * REFS];
  }

  @Override
  protected void put(int i, TunnelRecord r) {
    port[i] = r.port();
    fromClient[i] = r.bytesFromClient();
    toClient[i] = r.bytesToClient();
    duration[i] = r.durationNanos();
    aborted[i] = r.aborted();
    client.put(i, r.client());
    int o = i * REFS;
    refs[o] = strings.shared(r.clientAddress());
    refs[o + 1] = strings.shared(r.host());
    refs[o + 2] = strings.shared(r.user());
    refs[o + 3] = verdicts.shared(r.verdict());
    upstream.put(i, r.upstreamLeg());
  }

  @Override
  protected TunnelRecord get(int i) {
    int o = i * REFS;
    return new TunnelRecord((String) refs[o], (String) refs[o + 1], port[i], fromClient[i], toClient[i], duration[i],
        aborted[i], (String) refs[o + 2], (RoleVerdict) refs[o + 3], client.get(i), upstream.get(i));
  }
}
