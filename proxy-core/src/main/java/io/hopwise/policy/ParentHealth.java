package io.hopwise.policy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which parents are down (issue 27): a parent that refused a connection or let it time out is
 * skipped for {@code downFor}, then tried again. Shared by every event loop (one failure is
 * enough for all of them to skip it) and kept across reloads; the clock is passed in, so the
 * policy is tested without sleeping.
 */
public final class ParentHealth {
  private final Map<String, Long> downUntil = new ConcurrentHashMap<>();

  /**
   * The parents to try, in the route's order: those up first, then, when every one is down,
   * none: the caller answers that all are down rather than waiting on a parent known to fail.
   */
  public List<Parent> toTry(List<Parent> route, long nowNanos) {
    List<Parent> up = new ArrayList<>(route.size());
    for (Parent p : route) {
      if (isUp(p.name(), nowNanos)) {
        up.add(p);
      }
    }
    return up;
  }

  public boolean isUp(String parent, long nowNanos) {
    Long until = downUntil.get(parent);
    return until == null || nowNanos - until >= 0;
  }

  /** A connection to it was refused or timed out: skip it until {@code downForNanos} from now. */
  public void markDown(String parent, long nowNanos, long downForNanos) {
    downUntil.put(parent, nowNanos + downForNanos);
  }

  /** A connection to it worked. */
  public void markUp(String parent) {
    downUntil.remove(parent);
  }
}
