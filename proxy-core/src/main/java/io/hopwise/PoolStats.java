package io.hopwise;

/**
 * A snapshot of the proxy's connections for metrics, summed over event loops (refreshed every
 * second on each loop, so it may be that old).
 *
 * @param upstreamOpen upstream connections open (idle + in use)
 * @param upstreamIdle pooled and idle
 * @param upstreamWaiting requests waiting for a connection to free up
 * @param clientOpen client connections open
 */
public record PoolStats(int upstreamOpen, int upstreamIdle, int upstreamWaiting, int clientOpen) {
  public static final PoolStats ZERO = new PoolStats(0, 0, 0, 0);

  public int upstreamInUse() {
    return upstreamOpen - upstreamIdle;
  }

  public PoolStats plus(PoolStats o) {
    return new PoolStats(upstreamOpen + o.upstreamOpen, upstreamIdle + o.upstreamIdle,
        upstreamWaiting + o.upstreamWaiting, clientOpen + o.clientOpen);
  }
}
