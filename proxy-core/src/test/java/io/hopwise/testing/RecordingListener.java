package io.hopwise.testing;

import io.hopwise.ProxyListener;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/** Keeps the records a proxy reports, for tests to poll: by kind, and all of them in order. */
public final class RecordingListener implements ProxyListener {
  public final BlockingQueue<ExchangeRecord> completed = new LinkedBlockingQueue<>();
  public final BlockingQueue<ExchangeRecord> refused = new LinkedBlockingQueue<>();
  public final BlockingQueue<TunnelRecord> tunnels = new LinkedBlockingQueue<>();
  /** Every record above, in the order they came. */
  public final BlockingQueue<Object> all = new LinkedBlockingQueue<>();

  @Override
  public void requestCompleted(ExchangeRecord r) {
    completed.add(r);
    all.add(r);
  }

  @Override
  public void requestRefused(ExchangeRecord r) {
    refused.add(r);
    all.add(r);
  }

  @Override
  public void tunnelClosed(TunnelRecord r) {
    tunnels.add(r);
    all.add(r);
  }
}
