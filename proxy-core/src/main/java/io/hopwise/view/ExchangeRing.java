package io.hopwise.view;

import io.hopwise.ProxyListener.ExchangeRecord;
import io.hopwise.ProxyListener.UpstreamUse;
import io.hopwise.policy.RoleVerdict;
import java.util.List;

/**
 * The last {@code capacity} exchange records of one event loop, kept as columns of numbers and
 * references to what the request already holds, not as the record objects (issue 24). Keeping
 * the records themselves made each exchange allocate them: with the access log off nothing else
 * keeps a record, and the JIT then does not allocate it at all (the ring cost 4.8 % CPU per
 * request in bench/ab.sh; see note 17). {@link #snapshot} builds the records again for a reader.
 * One writer and readers on the same thread (the loop).
 */
final class ExchangeRing extends ColumnRing<ExchangeRecord> {
  private static final UpstreamUse[] USES = UpstreamUse.values();

  private long[] duration;
  private long[] requestBytes;
  private long[] responseBytes;
  private int[] status;
  private byte[] use;
  private boolean[] aborted;
  private ClientLegColumns client;
  private UpstreamLegColumns upstream;
  /** clientAddress, method, target, removed, user, verdict, per slot. */
  private Object[] refs;
  private static final int REFS = 6;
  /** Client addresses, targets and removed-field lists recur: the ring keeps one copy of each (see Recurring). */
  private final Recurring<String> clients = new Recurring<>(64);
  private final Recurring<String> targets = new Recurring<>(64);
  private final Recurring<List<String>> removedLists = new Recurring<>(16);

  ExchangeRing(int capacity) {
    allocate(capacity);
  }

  @Override
  protected void columns(int n) {
    duration = new long[n];
    requestBytes = new long[n];
    responseBytes = new long[n];
    status = new int[n];
    use = new byte[n];
    aborted = new boolean[n];
    client = new ClientLegColumns(n);
    upstream = new UpstreamLegColumns(n);
    refs = new Object[n * REFS];
  }

  @Override
  protected void put(int i, ExchangeRecord r) {
    duration[i] = r.durationNanos();
    requestBytes[i] = r.requestBodyBytes();
    responseBytes[i] = r.responseBodyBytes();
    status[i] = r.status();
    use[i] = (byte) r.upstream().ordinal();
    aborted[i] = r.aborted();
    client.put(i, r.client());
    int o = i * REFS;
    refs[o] = clients.shared(r.clientAddress()); // a new string per connection
    refs[o + 1] = r.method();
    refs[o + 2] = targets.shared(r.target());
    refs[o + 3] = removedLists.shared(r.removedFields());
    refs[o + 4] = r.user();
    refs[o + 5] = r.verdict();
    upstream.put(i, r.upstreamLeg());
  }

  @Override
  @SuppressWarnings("unchecked")
  protected ExchangeRecord get(int i) {
    int o = i * REFS;
    return new ExchangeRecord((String) refs[o], (String) refs[o + 1], (String) refs[o + 2],
        status[i], requestBytes[i], responseBytes[i], duration[i], USES[use[i]], aborted[i], (List<String>) refs[o + 3],
        (String) refs[o + 4], (RoleVerdict) refs[o + 5],
        client.get(i), upstream.get(i));
  }
}
