package io.hopwise.view;

import io.hopwise.FirstToClose;
import io.hopwise.ProxyListener.ClientCloseReason;
import io.hopwise.ProxyListener.ClientConnectionRecord;

/**
 * The last {@code capacity} closed client connections of one event loop, as columns (see
 * {@link ColumnRing}): under a connection per request keeping the records (a record, its two
 * address strings, its TCP_INFO and a timestamp, about 290 B) had every young collection copy
 * the last 1,000 of them, about 600 KB per loop (issue 28).
 */
final class ClientClosedRing extends ColumnRing<ClientConnectionRecord> {
  private static final ClientCloseReason[] REASONS = ClientCloseReason.values();
  private static final FirstToClose[] FIRSTS = FirstToClose.values();

  private final Recurring<String> addresses = new Recurring<>(64); // remote hosts, local addresses
  private long[] id;
  private int[] requests;
  private byte[] reason;
  private byte[] first;
  private long[] age;
  private AddressColumns remote;
  /** Our end, whole: the same for every connection to a listener, so one shared string. */
  private String[] local;
  private TcpColumns atClose;

  ClientClosedRing(int capacity) {
    allocate(capacity);
  }

  @Override
  protected void columns(int n) {
    id = new long[n];
    requests = new int[n];
    reason = new byte[n];
    first = new byte[n];
    age = new long[n];
    remote = new AddressColumns(n, addresses);
    local = new String[n];
    atClose = new TcpColumns(n);
  }

  @Override
  protected void put(int i, ClientConnectionRecord r) {
    id[i] = r.id();
    requests[i] = r.requests();
    reason[i] = (byte) r.reason().ordinal();
    first[i] = (byte) r.first().ordinal();
    age[i] = r.ageNanos();
    remote.put(i, r.remote());
    local[i] = addresses.shared(r.local());
    atClose.put(i, r.atClose());
  }

  @Override
  protected ClientConnectionRecord get(int i) {
    return new ClientConnectionRecord(id[i], remote.get(i), local[i], requests[i], REASONS[reason[i]], FIRSTS[first[i]],
        age[i], atClose.get(i));
  }
}
