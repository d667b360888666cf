package io.hopwise.server;

import io.hopwise.io.Deadline;
import io.vertx.core.Vertx;

/**
 * A client connection's three timers: idle between requests (an idle keep-alive connection is
 * closed after clientIdleTimeout), the head in progress (a slow client, slowloris, gets 408 after
 * headTimeout), and the response (from sending a request upstream to its response head).
 */
final class ClientTimers {
  private final Deadline idle;
  private final Deadline head;
  private final Deadline response;

  ClientTimers(Vertx vertx, Runnable idleExpired, Runnable headExpired, Runnable responseExpired) {
    this.idle = new Deadline(vertx, idleExpired);
    this.head = idle.sibling(headExpired); // one timer for the three (Deadline)
    this.response = idle.sibling(responseExpired);
  }

  /** Waiting for the next request. */
  void betweenRequests(long idleMillis) {
    head.disarm();
    idle.arm(idleMillis);
  }

  /** Part of a head has come: the rest must come in time (armed once per head). */
  void headStarted(long headMillis) {
    if (!head.isArmed()) {
      idle.disarm();
      head.arm(headMillis);
    }
  }

  /** A whole head has come (or the connection is closing): neither waiting timer runs. */
  void headDone() {
    idle.disarm();
    head.disarm();
  }

  Deadline response() {
    return response;
  }

  /** The connection closed: no timer keeps it reachable. */
  void cancel() {
    idle.cancel();
    head.cancel();
    response.cancel();
  }
}
