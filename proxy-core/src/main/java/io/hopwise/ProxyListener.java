package io.hopwise;

import io.hopwise.http.HopByHop;
import io.hopwise.http.Origin;
import java.util.List;

/**
 * What happens inside the proxy, for metrics and logs. Every method has a no-op default so a
 * listener implements only what it needs; {@link #NONE} ignores everything. Called on event-loop
 * threads: implementations must not block.
 */
public interface ProxyListener {
  ProxyListener NONE = new ProxyListener() {};

  /** Which way a message went. */
  enum Direction { REQUEST, RESPONSE }

  /** Why an upstream connection was closed. */
  enum CloseReason { NOT_REUSABLE, IDLE_TIMEOUT, MAX_LIFETIME, PEER_CLOSED, ERROR, SHUTDOWN }

  default void clientConnectionOpened() {}

  default void clientConnectionClosed() {}

  /** A request was refused before anything went upstream. */
  default void requestRejected(int status, String reason) {}

  /** A request/response exchange ended (the response may have been aborted). */
  default void requestCompleted(ExchangeRecord record) {}

  default void upstreamConnectionOpened(Origin origin) {}

  default void upstreamConnectionReused(Origin origin) {}

  default void upstreamConnectionClosed(Origin origin, CloseReason reason) {}

  default void fieldsRemoved(Direction direction, List<HopByHop.Removed> removed) {}

  /**
   * One finished exchange, as an access log would show it.
   *
   * @param status the status sent to the client, or 0 when no response head was sent
   * @param aborted the client connection was cut because the response could not be completed
   */
  record ExchangeRecord(
      String clientAddress, String method, String target, int status, long requestBodyBytes,
      long responseBodyBytes, long durationNanos, boolean upstreamReused, boolean aborted) {}
}
