package io.hopwise.upstream;

import io.hopwise.http.Rejection;

/**
 * An upstream problem and the status it maps to (http-rules E): 502 unreachable or broken,
 * 503 pool queue full, 504 timeout.
 */
public final class UpstreamFailure extends Exception {
  private final int status;
  private final boolean beforeResponseOnReusedConnection;

  public UpstreamFailure(int status, String message) {
    this(status, message, false);
  }

  UpstreamFailure(int status, String message, boolean beforeResponseOnReusedConnection) {
    super(message, null, false, false);
    this.status = status;
    this.beforeResponseOnReusedConnection = beforeResponseOnReusedConnection;
  }

  /**
   * A pooled connection that had served earlier requests failed before any byte of this response
   * arrived: most likely the upstream closed it while idle, just as we sent (the stale keep-alive
   * race, RFC 9112 9.3.1). Safe to retry if the request is idempotent.
   */
  public boolean staleConnection() {
    return beforeResponseOnReusedConnection;
  }

  public int status() {
    return status;
  }

  public Rejection toRejection() {
    return new Rejection(status, getMessage());
  }

  public static UpstreamFailure of(Rejection r) {
    return new UpstreamFailure(r.status(), r.reason());
  }
}
