package io.hopwise.policy;

import io.hopwise.http.KeepAlive;

/**
 * The upstream pool's decisions, with the time passed in (OkHttp's ConnectionPool style), so they
 * are tested as tables without sockets or sleeps. The pool (upstream/UpstreamPool) is the
 * mechanism: it keeps the connections and timers and asks this class what to do (http-rules C4).
 *
 * @param maxPerOrigin connections open to one origin at most (per event loop)
 * @param maxWaiting requests that may wait for a connection to one origin
 * @param pipelineDepth requests in flight on one connection at most (1: no pipelining)
 * @param maxLifetimeNanos no connection is reused past this age
 * @param idleTimeoutMillis an idle pooled connection is closed after this long
 */
public record PoolPolicy(int maxPerOrigin, int maxWaiting, int pipelineDepth, long maxLifetimeNanos,
    long idleTimeoutMillis) {

  /** What to do for a request when no idle connection could be reused. */
  public enum WithoutIdle {
    /** Open a new connection. */
    CONNECT,
    /** Look for a busy connection that may take one more request, else wait or refuse. */
    TRY_PIPELINING,
    /** Wait in the origin's queue for a connection to come free. */
    WAIT,
    /** The queue is full: 503 at once. */
    REFUSE
  }

  /**
   * What an upstream has told us about a connection through {@code Keep-Alive}: how many more
   * requests it takes and how long it keeps it idle (minus a second of margin, so we never send
   * on a connection it is closing).
   */
  public record Budget(long requestsLeft, long idleLimitMillis) {
    public static final Budget UNLIMITED = new Budget(Long.MAX_VALUE, Long.MAX_VALUE);

    /** After one more response with these Keep-Alive parameters. */
    public Budget after(KeepAlive ka) {
      if (this == UNLIMITED && ka.max() < 0 && ka.timeoutSeconds() < 0) {
        return this; // the common case: nothing said, nothing to count
      }
      long left = ka.max() >= 0 ? ka.max() : requestsLeft == Long.MAX_VALUE ? Long.MAX_VALUE : requestsLeft - 1;
      long idle = ka.timeoutSeconds() >= 0 ? ka.timeoutSeconds() * 1000 - 1000 : idleLimitMillis;
      return new Budget(left, idle);
    }
  }

  /** A connection opened at {@code createdNanos} may still be reused at {@code now}. */
  public boolean withinLifetime(long createdNanos, long now) {
    return now - createdNanos < maxLifetimeNanos;
  }

  /** How long an idle connection is kept: ours or the upstream's limit, whichever is shorter. */
  public long idleMillis(Budget budget) {
    return Math.min(idleTimeoutMillis, budget.idleLimitMillis());
  }

  /** No idle connection was reusable: connect, try pipelining, wait, or refuse. */
  public WithoutIdle withoutIdle(int open, int waiting, boolean fresh, boolean pipelinable) {
    if (open < maxPerOrigin) {
      return WithoutIdle.CONNECT;
    }
    if (pipelinable && !fresh && pipelineDepth > 1) {
      return WithoutIdle.TRY_PIPELINING;
    }
    return queueOrRefuse(waiting);
  }

  /** At the limit, with no connection to share: wait if the queue has room. */
  public WithoutIdle queueOrRefuse(int waiting) {
    return waiting >= maxWaiting ? WithoutIdle.REFUSE : WithoutIdle.WAIT;
  }

  /**
   * One more request may be written on a busy connection only behind requests that are themselves
   * pipelinable and completely written, within the depth and the upstream's remaining budget
   * (RFC 9112 9.3.2).
   */
  public boolean canPipeline(int inFlight, boolean allPipelinableAndWritten, Budget budget) {
    return inFlight > 0 && inFlight < pipelineDepth && inFlight + 1 <= budget.requestsLeft() && allPipelinableAndWritten;
  }
}
