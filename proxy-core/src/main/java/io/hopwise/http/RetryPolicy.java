package io.hopwise.http;

import java.util.Set;

/** When a failed request may be sent again automatically (http-rules C2). Small predicates. */
public final class RetryPolicy {
  /** RFC 9110 9.2.2: methods whose repetition has the same intended effect. */
  static final Set<String> IDEMPOTENT = Set.of("GET", "HEAD", "OPTIONS", "TRACE", "PUT", "DELETE");

  private RetryPolicy() {}

  public static boolean isIdempotent(String method) {
    return IDEMPOTENT.contains(method);
  }

  /**
   * At most this many attempts in all, however many parents fail in turn: a bound on the work one
   * request can cause, whatever the routes say.
   */
  static final int MOST_ATTEMPTS = 4;

  /**
   * Retry only when: the method is idempotent (RFC 9112 9.3.1: never POST or PATCH); there is no
   * body (ours was streamed on, not kept, so it cannot be sent twice); and the connection failed
   * before any response byte: a reused one (the upstream had closed it while idle), or one that
   * was reset (see UpstreamFailure.staleConnection). Once, unless the failure marked a parent down
   * (issue 27): the next attempt then goes to another parent of the route, not to the same one
   * again, so one more is worth it, up to {@link #MOST_ATTEMPTS}.
   */
  public static boolean mayRetry(String method, BodyFraming framing, boolean staleConnection, boolean parentMarkedDown,
      int attemptsSoFar) {
    return (attemptsSoFar == 1 || parentMarkedDown && attemptsSoFar < MOST_ATTEMPTS)
        && staleConnection
        && isIdempotent(method)
        && !framing.hasBody();
  }
}
