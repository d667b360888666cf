package io.hopwise.upstream;

import io.hopwise.http.Rejection;

/**
 * An upstream problem and the status it maps to (http-rules E): 502 unreachable or broken,
 * 503 pool queue full, 504 timeout.
 */
public final class UpstreamFailure extends Exception {
  private final int status;

  public UpstreamFailure(int status, String message) {
    super(message, null, false, false);
    this.status = status;
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
