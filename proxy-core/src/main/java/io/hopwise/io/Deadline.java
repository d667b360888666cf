package io.hopwise.io;

import io.vertx.core.Vertx;
import java.util.concurrent.TimeUnit;

/**
 * A timeout that costs a field write to push back or call off. Keep-alive traffic re-arms its
 * timeouts on every request (idle, response, pooled connection), and a Vert.x timer per arm (a
 * map entry, a scheduled task, a cancel) came to several percent of the CPU. Here one underlying
 * timer is kept: arming a later deadline only records it, and when the timer fires early it is
 * set again for what remains. Only an earlier deadline replaces the timer. Event-loop confined.
 */
public final class Deadline {
  private final Vertx vertx;
  private final Runnable onExpiry;
  private boolean armed;
  private long dueNanos;
  private long timerId = -1;
  private long timerDueNanos;

  public Deadline(Vertx vertx, Runnable onExpiry) {
    this.vertx = vertx;
    this.onExpiry = onExpiry;
  }

  /** {@code onExpiry} runs once, {@code millis} from now, unless re-armed or disarmed first. */
  public void arm(long millis) {
    long now = LoopClock.nanoTime();
    armed = true;
    dueNanos = now + TimeUnit.MILLISECONDS.toNanos(Math.max(1, millis));
    if (timerId >= 0 && timerDueNanos - dueNanos > 0) {
      vertx.cancelTimer(timerId); // the new deadline is earlier than the timer
      timerId = -1;
    }
    if (timerId < 0) {
      schedule(now);
    }
  }

  /** Calls the deadline off; a pending timer stays and finds nothing to do. */
  public void disarm() {
    armed = false;
  }

  public boolean isArmed() {
    return armed;
  }

  /** Calls it off for good (the owner is closing): drops the timer and its reference to us. */
  public void cancel() {
    armed = false;
    if (timerId >= 0) {
      vertx.cancelTimer(timerId);
      timerId = -1;
    }
  }

  private void schedule(long now) {
    long delayMillis = Math.max(1, TimeUnit.NANOSECONDS.toMillis(dueNanos - now + 999_999));
    timerDueNanos = now + TimeUnit.MILLISECONDS.toNanos(delayMillis);
    timerId = vertx.setTimer(delayMillis, id -> fired());
  }

  private void fired() {
    timerId = -1;
    if (!armed) {
      return;
    }
    long now = LoopClock.nanoTime();
    if (dueNanos - now > 0) {
      schedule(now); // pushed back since the timer was set
      return;
    }
    armed = false;
    onExpiry.run();
  }
}
