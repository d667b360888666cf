package io.hopwise.app.metrics;

import io.hopwise.ProxyListener;
import io.hopwise.http.HopByHop;
import io.hopwise.http.Origin;
import java.util.List;

/** Several listeners as one (metrics and the access log both listen). */
public final class Listeners implements ProxyListener {
  private final List<ProxyListener> all;

  public Listeners(List<ProxyListener> all) {
    this.all = List.copyOf(all);
  }

  @Override
  public void clientConnectionOpened() {
    all.forEach(ProxyListener::clientConnectionOpened);
  }

  @Override
  public void clientConnectionClosed(ClientConnectionRecord record) {
    all.forEach(l -> l.clientConnectionClosed(record));
  }

  @Override
  public void requestRejected(int status, String reason) {
    all.forEach(l -> l.requestRejected(status, reason));
  }

  @Override
  public void requestCompleted(ExchangeRecord record) {
    all.forEach(l -> l.requestCompleted(record));
  }

  @Override
  public void authenticationFailed(String reason) {
    all.forEach(l -> l.authenticationFailed(reason));
  }

  @Override
  public void requestRetried(Origin origin) {
    all.forEach(l -> l.requestRetried(origin));
  }

  @Override
  public void upstreamConnectionOpened(Origin origin) {
    all.forEach(l -> l.upstreamConnectionOpened(origin));
  }

  @Override
  public void upstreamConnectionReused(Origin origin) {
    all.forEach(l -> l.upstreamConnectionReused(origin));
  }

  @Override
  public void upstreamConnectionClosed(Origin origin, CloseReason reason) {
    all.forEach(l -> l.upstreamConnectionClosed(origin, reason));
  }

  @Override
  public void tunnelOpened(String host, int port) {
    all.forEach(l -> l.tunnelOpened(host, port));
  }

  @Override
  public void tunnelClosed(TunnelRecord record) {
    all.forEach(l -> l.tunnelClosed(record));
  }

  @Override
  public void fieldsRemoved(Direction direction, List<HopByHop.Removed> removed) {
    all.forEach(l -> l.fieldsRemoved(direction, removed));
  }
}
