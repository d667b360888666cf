package io.hopwise.io;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Numbers for connections, one series for client connections ({@code conn#7}) and one for
 * upstream connections ({@code up#3}), shared by every event loop, so that the debug log, the
 * access log and the connection view (issue 24) name a connection the same way.
 */
public final class ConnectionIds {
  private static final AtomicLong CLIENT = new AtomicLong();
  private static final AtomicLong UPSTREAM = new AtomicLong();

  private ConnectionIds() {}

  public static long nextClient() {
    return CLIENT.incrementAndGet();
  }

  public static long nextUpstream() {
    return UPSTREAM.incrementAndGet();
  }
}
