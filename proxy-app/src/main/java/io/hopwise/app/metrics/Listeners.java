package io.hopwise.app.metrics;

import io.hopwise.ProxyListener;
import io.hopwise.http.HopByHop;
import io.hopwise.http.Origin;
import java.util.List;

/**
 * Several listeners as one (metrics and the access log both listen). Plain loops over an array:
 * some of these calls come several times per request, and {@code List.forEach} with a capturing
 * lambda allocated an iterator and a lambda for each.
 */
public final class Listeners implements ProxyListener {
  private final ProxyListener[] all;

  private Listeners(List<ProxyListener> all) {
    this.all = all.toArray(new ProxyListener[0]);
  }

  /** The listeners as one; a single listener is returned as it is. */
  public static ProxyListener of(List<ProxyListener> listeners) {
    return listeners.size() == 1 ? listeners.get(0) : new Listeners(listeners);
  }

  @Override
  public void clientConnectionOpened() {
    for (ProxyListener l : all) {
      l.clientConnectionOpened();
    }
  }

  @Override
  public void clientConnectionClosed(ClientConnectionRecord record) {
    for (ProxyListener l : all) {
      l.clientConnectionClosed(record);
    }
  }

  @Override
  public void requestRejected(int status, String reason) {
    for (ProxyListener l : all) {
      l.requestRejected(status, reason);
    }
  }

  @Override
  public void requestCompleted(ExchangeRecord record) {
    for (ProxyListener l : all) {
      l.requestCompleted(record);
    }
  }

  @Override
  public void requestRefused(ExchangeRecord record) {
    for (ProxyListener l : all) {
      l.requestRefused(record);
    }
  }

  @Override
  public void authenticationFailed(String reason) {
    for (ProxyListener l : all) {
      l.authenticationFailed(reason);
    }
  }

  @Override
  public void requestRetried(Origin origin) {
    for (ProxyListener l : all) {
      l.requestRetried(origin);
    }
  }

  @Override
  public void upstreamConnectionOpened(Origin origin) {
    for (ProxyListener l : all) {
      l.upstreamConnectionOpened(origin);
    }
  }

  @Override
  public void upstreamConnectionReused(Origin origin) {
    for (ProxyListener l : all) {
      l.upstreamConnectionReused(origin);
    }
  }

  @Override
  public void upstreamConnectionClosed(io.hopwise.UpstreamConnectionRecord record) {
    for (ProxyListener l : all) {
      l.upstreamConnectionClosed(record);
    }
  }

  @Override
  public void tunnelOpened(String host, int port) {
    for (ProxyListener l : all) {
      l.tunnelOpened(host, port);
    }
  }

  @Override
  public void parentUsed(String parent) {
    for (ProxyListener l : all) {
      l.parentUsed(parent);
    }
  }

  @Override
  public void parentFailed(String parent, String reason) {
    for (ProxyListener l : all) {
      l.parentFailed(parent, reason);
    }
  }

  @Override
  public void tunnelClosed(TunnelRecord record) {
    for (ProxyListener l : all) {
      l.tunnelClosed(record);
    }
  }

  @Override
  public void fieldsRemoved(Direction direction, List<HopByHop.Removed> removed) {
    for (ProxyListener l : all) {
      l.fieldsRemoved(direction, removed);
    }
  }
}
