package io.hopwise.view;

import io.hopwise.ClientLeg;
import io.hopwise.ProxyListener.ExchangeRecord;
import io.hopwise.ProxyListener.UpstreamUse;
import io.hopwise.TcpInfo;
import io.hopwise.Timed;
import io.hopwise.UpstreamLeg;
import io.hopwise.policy.RoleVerdict;
import java.util.ArrayList;
import java.util.List;

/**
 * The last {@code capacity} exchange records of one event loop, kept as columns of numbers and
 * references to what the request already holds, not as the record objects (issue 24). Keeping
 * the records themselves made each exchange allocate them: with the access log off nothing else
 * keeps a record, and the JIT then does not allocate it at all (the ring cost 4.8 % CPU per
 * request in bench/ab.sh; see note 17). {@link #snapshot} builds the records again for a reader.
 * One writer and readers on the same thread (the loop).
 */
final class ExchangeRing {
  private Slots slots;

  private long[] at;
  private long[] duration;
  private long[] requestBytes;
  private long[] responseBytes;
  private int[] status;
  private byte[] use;
  private boolean[] aborted;
  private long[] clientConnection;
  private int[] request;
  private boolean[] hasUpstream;
  private long[] upConnection;
  private boolean[] reused;
  private long[] idle;
  private long[] dns;
  private long[] connect;
  private long[] tls;
  private long[] wait;
  private long[] transfer;
  /** clientAddress, method, target, removed, user, verdict, and the TCP_INFO snapshots, per slot. */
  private Object[] refs;
  private static final int REFS = 12;
  /** Client addresses, targets and removed-field lists recur: the ring keeps one copy of each (see Recurring). */
  private final Recurring<String> clients = new Recurring<>(64);
  private final Recurring<String> targets = new Recurring<>(64);
  private final Recurring<List<String>> removedLists = new Recurring<>(16);

  ExchangeRing(int capacity) {
    allocate(capacity);
  }

  private void allocate(int n) {
    slots = new Slots(n);
    at = new long[n];
    duration = new long[n];
    requestBytes = new long[n];
    responseBytes = new long[n];
    status = new int[n];
    use = new byte[n];
    aborted = new boolean[n];
    clientConnection = new long[n];
    request = new int[n];
    hasUpstream = new boolean[n];
    upConnection = new long[n];
    reused = new boolean[n];
    idle = new long[n];
    dns = new long[n];
    connect = new long[n];
    tls = new long[n];
    wait = new long[n];
    transfer = new long[n];
    refs = new Object[n * REFS];
  }

  void add(long atMillis, ExchangeRecord r) {
    int i = slots.take();
    if (i < 0) {
      return;
    }
    at[i] = atMillis;
    duration[i] = r.durationNanos();
    requestBytes[i] = r.requestBodyBytes();
    responseBytes[i] = r.responseBodyBytes();
    status[i] = r.status();
    use[i] = (byte) r.upstream().ordinal();
    aborted[i] = r.aborted();
    ClientLeg c = r.client();
    clientConnection[i] = c == null ? 0 : c.connection();
    request[i] = c == null ? 0 : c.request();
    UpstreamLeg u = r.upstreamLeg();
    hasUpstream[i] = u != null;
    int o = i * REFS;
    refs[o] = clients.shared(r.clientAddress()); // a new string per connection
    refs[o + 1] = r.method();
    refs[o + 2] = targets.shared(r.target());
    refs[o + 3] = removedLists.shared(r.removedFields());
    refs[o + 4] = r.user();
    refs[o + 5] = r.verdict();
    refs[o + 6] = c == null ? null : c.atLastByte();
    if (u != null) {
      upConnection[i] = u.connection();
      reused[i] = u.reused();
      idle[i] = u.idleNanos();
      dns[i] = u.dnsNanos();
      connect[i] = u.connectNanos();
      tls[i] = u.tlsNanos();
      wait[i] = u.waitNanos();
      transfer[i] = u.transferNanos();
      refs[o + 7] = u.atConnect();
      refs[o + 8] = u.atFirstByte();
      refs[o + 9] = u.atLastByte();
      refs[o + 10] = u.route();
      refs[o + 11] = u.parent();
    } else {
      refs[o + 7] = null;
      refs[o + 8] = null;
      refs[o + 9] = null;
      refs[o + 10] = null;
      refs[o + 11] = null;
    }
  }

  /** The records kept, oldest first, made again. */
  @SuppressWarnings("unchecked")
  List<Timed<ExchangeRecord>> snapshot() {
    int n = slots.kept();
    List<Timed<ExchangeRecord>> out = new ArrayList<>(n);
    UpstreamUse[] uses = UpstreamUse.values();
    for (int k = 0; k < n; k++) {
      int i = slots.slot(k);
      int o = i * REFS;
      UpstreamLeg u = hasUpstream[i] ? new UpstreamLeg(upConnection[i], reused[i], idle[i], dns[i], connect[i],
          tls[i], wait[i], transfer[i], (TcpInfo) refs[o + 7], (TcpInfo) refs[o + 8], (TcpInfo) refs[o + 9],
          (String) refs[o + 10], (String) refs[o + 11]) : null;
      out.add(new Timed<>(at[i], new ExchangeRecord((String) refs[o], (String) refs[o + 1], (String) refs[o + 2],
          status[i], requestBytes[i], responseBytes[i], duration[i], uses[use[i]], aborted[i], (List<String>) refs[o + 3],
          (String) refs[o + 4], (RoleVerdict) refs[o + 5],
          new ClientLeg(clientConnection[i], request[i], (TcpInfo) refs[o + 6]), u)));
    }
    return out;
  }

  /** A new capacity (a reload): the newest records that fit are kept. */
  void resize(int newCapacity) {
    if (newCapacity == slots.capacity()) {
      return;
    }
    List<Timed<ExchangeRecord>> kept = snapshot();
    allocate(newCapacity);
    Slots.newest(kept, newCapacity).forEach(t -> add(t.atMillis(), t.record()));
  }
}
