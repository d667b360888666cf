package io.hopwise;

import io.hopwise.http.HopByHop;
import io.hopwise.http.Origin;
import io.hopwise.policy.RoleVerdict;
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

  /** Why a client connection ended. */
  enum ClientCloseReason {
    /** The client closed (or reset) it. */
    CLIENT_CLOSED,
    /** The exchange ended it: Connection: close, HTTP/1.0, or a close-delimited response. */
    NOT_PERSISTENT,
    IDLE_TIMEOUT,
    /** The request head did not arrive in time (408). */
    HEAD_TIMEOUT,
    /** We answered with an error (4xx/5xx) and closed. */
    REJECTED,
    /** A response could not be completed; the connection was reset. */
    ABORTED,
    /** Dumb mode: the upstream closed, which is the only end a dumb proxy knows. */
    UPSTREAM_CLOSED,
    /** A CONNECT tunnel on this connection ended. */
    TUNNEL_CLOSED,
    SHUTDOWN
  }

  /**
   * One client connection that closed, as a debug log shows it; with who closed first (issue 24:
   * that side holds TIME_WAIT), its age and the kernel's last view of it (null where the transport
   * cannot say).
   */
  record ClientConnectionRecord(long id, String remote, String local, int requests, ClientCloseReason reason,
      FirstToClose first, long ageNanos, TcpInfo atClose) {
    @Override
    public String toString() {
      return "conn#" + id + " " + remote + " -> " + local + " requests=" + requests
          + " reason=" + reason.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }
  }

  default void clientConnectionClosed(ClientConnectionRecord record) {}

  /** A request was refused before anything went upstream. */
  default void requestRejected(int status, String reason) {}

  /** A request/response exchange ended (the response may have been aborted). */
  default void requestCompleted(ExchangeRecord record) {}

  /**
   * A request the proxy refused before any exchange began: a malformed head, 407, 408, 413, a
   * refused or failed CONNECT. For the access log ({@link #requestRejected} counts it); its
   * record's upstream is {@link UpstreamUse#NONE}.
   */
  default void requestRefused(ExchangeRecord record) {}

  /** Proxy authentication failed ({@code missing}, {@code wrong-password}, ...). */
  default void authenticationFailed(String reason) {}

  /** A request is sent again on a fresh connection after a stale pooled one failed. */
  default void requestRetried(Origin origin) {}

  default void upstreamConnectionOpened(Origin origin) {}

  default void upstreamConnectionReused(Origin origin) {}

  /** An upstream connection closed, whoever closed it: why, who first, what it served (issue 24). */
  default void upstreamConnectionClosed(UpstreamConnectionRecord record) {}

  /** A connection to a parent proxy worked and carries a request or tunnel (issue 27). */
  default void parentUsed(String parent) {}

  /**
   * A connection to a parent proxy failed ({@code reason}: {@code connect}, {@code timeout}, or
   * {@code reset}: a new connection reset before any answer); it is skipped for {@code parents.downFor}.
   */
  default void parentFailed(String parent, String reason) {}

  /** A CONNECT tunnel was established. */
  default void tunnelOpened(String host, int port) {}

  default void tunnelClosed(TunnelRecord record) {}

  /**
   * One finished CONNECT tunnel, with the bytes relayed each way.
   *
   * @param clientAddress the client's address, as in request records
   * @param aborted the tunnel was reset (a break on either side, idle timeout, shutdown), not closed in order
   * @param user the proxy-authenticated user, or null
   * @param verdict what the client's role decided (a report-deny went through)
   * @param client the client connection and its request number (issue 24)
   * @param upstreamLeg the tunnel's upstream connection (always new), or null when it never connected
   */
  record TunnelRecord(String clientAddress, String host, int port, long bytesFromClient, long bytesToClient, long durationNanos,
      boolean aborted, String user, RoleVerdict verdict, ClientLeg client, UpstreamLeg upstreamLeg) {}

  default void fieldsRemoved(Direction direction, List<HopByHop.Removed> removed) {}

  /**
   * One finished exchange, as an access log would show it.
   *
   * @param status the status sent to the client, or 0 when no response head was sent
   * @param aborted the client connection was cut because the response could not be completed
   * @param upstream whether an upstream connection served it, and whether it was new or reused
   * @param user the proxy-authenticated user, or null
   * @param removedFields hop-by-hop field names removed from the request and the response
   * @param verdict what decided: the client's role (allow, deny, report-deny and its rule), or for
   *     a refusal by another rule (403 destination or port, 407) {@code deny} and that rule;
   *     {@link RoleVerdict#NONE} when nothing got that far (a malformed head)
   * @param client the client connection and the request's number on it (issue 24)
   * @param upstreamLeg the upstream connection that served it and the exchange's times on it; null
   *     when none did ({@code upstream} NONE)
   */
  record ExchangeRecord(
      String clientAddress, String method, String target, int status, long requestBodyBytes,
      long responseBodyBytes, long durationNanos, UpstreamUse upstream, boolean aborted,
      List<String> removedFields, String user, RoleVerdict verdict, ClientLeg client, UpstreamLeg upstreamLeg) {}

  /** An exchange's upstream connection: none (answered or refused here), a new one, or a reused one. */
  enum UpstreamUse { NONE, NEW, REUSED }
}
