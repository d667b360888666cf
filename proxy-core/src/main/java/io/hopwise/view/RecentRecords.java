package io.hopwise.view;

import io.hopwise.ProxyListener;
import io.hopwise.Timed;
import io.hopwise.UpstreamConnectionRecord;
import io.hopwise.http.HopByHop;
import io.hopwise.http.Origin;
import java.util.List;

/**
 * One event loop's listener (issue 24): keeps the loop's recent records in bounded rings for the
 * connection view, each with the time it came, and passes every event on to the proxy's listener. Only its loop writes or
 * reads it, so the rings need no locks; a reader asks through the loop.
 */
public final class RecentRecords implements ProxyListener {
  private final ProxyListener next;
  /** Columns, not objects: one per exchange is the hot path (see ExchangeRing). */
  private final ExchangeRing exchanges;
  /** Columns: every CONNECT tunnel adds one (see TunnelRing). */
  private final TunnelRing tunnels;
  /** Columns too: one per connection is the hot path under a connection per request. */
  private final ClientClosedRing clientClosed;
  private final UpstreamClosedRing upstreamClosed;

  public RecentRecords(ProxyListener next, int capacity) {
    this.next = next;
    exchanges = new ExchangeRing(capacity);
    tunnels = new TunnelRing(capacity);
    clientClosed = new ClientClosedRing(capacity);
    upstreamClosed = new UpstreamClosedRing(capacity);
  }

  public void resize(int capacity) {
    exchanges.resize(capacity);
    tunnels.resize(capacity);
    clientClosed.resize(capacity);
    upstreamClosed.resize(capacity);
  }

  public List<Timed<ExchangeRecord>> exchanges() {
    return exchanges.snapshot();
  }

  public List<Timed<TunnelRecord>> tunnels() {
    return tunnels.snapshot();
  }

  public List<Timed<ClientConnectionRecord>> clientClosed() {
    return clientClosed.snapshot();
  }

  public List<Timed<UpstreamConnectionRecord>> upstreamClosed() {
    return upstreamClosed.snapshot();
  }

  @Override
  public void requestCompleted(ExchangeRecord record) {
    exchanges.add(System.currentTimeMillis(), record);
    next.requestCompleted(record);
  }

  @Override
  public void requestRefused(ExchangeRecord record) {
    exchanges.add(System.currentTimeMillis(), record);
    next.requestRefused(record);
  }

  @Override
  public void tunnelClosed(TunnelRecord record) {
    tunnels.add(System.currentTimeMillis(), record);
    next.tunnelClosed(record);
  }

  @Override
  public void clientConnectionClosed(ClientConnectionRecord record) {
    clientClosed.add(System.currentTimeMillis(), record);
    next.clientConnectionClosed(record);
  }

  @Override
  public void upstreamConnectionClosed(UpstreamConnectionRecord record) {
    upstreamClosed.add(System.currentTimeMillis(), record);
    next.upstreamConnectionClosed(record);
  }

  // The rest passes straight on.

  @Override
  public void clientConnectionOpened() {
    next.clientConnectionOpened();
  }

  @Override
  public void requestRejected(int status, String reason) {
    next.requestRejected(status, reason);
  }

  @Override
  public void authenticationFailed(String reason) {
    next.authenticationFailed(reason);
  }

  @Override
  public void requestRetried(Origin origin) {
    next.requestRetried(origin);
  }

  @Override
  public void upstreamConnectionOpened(Origin origin) {
    next.upstreamConnectionOpened(origin);
  }

  @Override
  public void upstreamConnectionReused(Origin origin) {
    next.upstreamConnectionReused(origin);
  }

  @Override
  public void tunnelOpened(String host, int port) {
    next.tunnelOpened(host, port);
  }

  @Override
  public void parentUsed(String parent) {
    next.parentUsed(parent);
  }

  @Override
  public void parentFailed(String parent, String reason) {
    next.parentFailed(parent, reason);
  }

  @Override
  public void fieldsRemoved(Direction direction, List<HopByHop.Removed> removed) {
    next.fieldsRemoved(direction, removed);
  }
}
