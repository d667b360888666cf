package io.hopwise.view;

import io.hopwise.FirstToClose;
import io.hopwise.ProxyListener.CloseReason;
import io.hopwise.UpstreamConnectionRecord;
import io.hopwise.http.Origin;

/**
 * The last {@code capacity} closed upstream connections of one event loop, as columns (see
 * {@link ColumnRing}): pooled connections close rarely, but every CONNECT tunnel and every
 * dumb-mode connection adds one.
 */
final class UpstreamClosedRing extends ColumnRing<UpstreamConnectionRecord> {
  private static final CloseReason[] REASONS = CloseReason.values();
  private static final FirstToClose[] FIRSTS = FirstToClose.values();

  private final Recurring<String> strings = new Recurring<>(64); // our hosts, origins' addresses, details
  private final Recurring<Origin> origins = new Recurring<>(64);
  private long[] id;
  private int[] exchanges;
  private long[] age;
  /** The ordinal, or -1 for none. */
  private byte[] reason;
  private byte[] first;
  /** Our end: the port differs per connection, the host mostly does not. */
  private AddressColumns local;
  private TcpColumns atClose;
  /** origin, remote, detail, per slot. */
  private Object[] refs;
  private static final int REFS = 3;

  UpstreamClosedRing(int capacity) {
    allocate(capacity);
  }

  @Override
  protected void columns(int n) {
    id = new long[n];
    exchanges = new int[n];
    age = new long[n];
    reason = new byte[n];
    first = new byte[n];
    local = new AddressColumns(n, strings);
    atClose = new TcpColumns(n);
    refs = new Object[n * REFS];
  }

  @Override
  protected void put(int i, UpstreamConnectionRecord r) {
    id[i] = r.id();
    exchanges[i] = r.exchanges();
    age[i] = r.ageNanos();
    reason[i] = (byte) (r.reason() == null ? -1 : r.reason().ordinal());
    first[i] = (byte) (r.first() == null ? -1 : r.first().ordinal());
    local.put(i, r.local());
    atClose.put(i, r.atClose());
    int o = i * REFS;
    refs[o] = origins.shared(r.origin());
    refs[o + 1] = strings.shared(r.remote());
    refs[o + 2] = strings.shared(r.detail());
  }

  @Override
  protected UpstreamConnectionRecord get(int i) {
    int o = i * REFS;
    return new UpstreamConnectionRecord(id[i], (Origin) refs[o], local.get(i), (String) refs[o + 1], exchanges[i], age[i],
        reason[i] < 0 ? null : REASONS[reason[i]], (String) refs[o + 2], first[i] < 0 ? null : FIRSTS[first[i]],
        atClose.get(i));
  }
}
