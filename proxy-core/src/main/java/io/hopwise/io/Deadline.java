package io.hopwise.io;

import io.netty.util.concurrent.ScheduledFuture;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.VertxInternal;
import java.util.concurrent.TimeUnit;

/**
 * A timeout that costs a field write to push back or call off. Keep-alive traffic re-arms its
 * timeouts on every request (idle, response, pooled connection), and a Vert.x timer per arm (a
 * map entry, a scheduled task, a cancel) came to several percent of the CPU. Here one underlying
 * timer is kept: arming a later deadline only records it, and when the timer fires early it is
 * set again for what remains. Only an earlier deadline replaces the timer.
 *
 * <p>Deadlines made with {@link #sibling} share that one timer, set for the earliest of them: a
 * client connection's three (idle, head, response) cost one timer, not three, and a connection
 * per request sets and cancels one (issue 28). The timer is a task on the event loop's own
 * scheduler (a Vert.x timer adds an id, a map entry and a close hook to each), run on the context
 * the deadline was made on. Event-loop confined: made, armed and fired on one loop.
 */
public final class Deadline {
  private final Timer timer;
  private final Runnable onExpiry;
  /** The next deadline on the same timer: siblings form a chain, with no array to grow. */
  private final Deadline next;
  private boolean armed;
  private long dueNanos;

  /** Made on the event loop whose context will run {@code onExpiry}. */
  public Deadline(Vertx vertx, Runnable onExpiry) {
    this(new Timer(((VertxInternal) vertx).getOrCreateContext()), onExpiry);
  }

  private Deadline(Timer timer, Runnable onExpiry) {
    this.timer = timer;
    this.onExpiry = onExpiry;
    this.next = timer.first;
    timer.first = this;
  }

  /** Another deadline on this one's timer (its owner's other timeouts). */
  public Deadline sibling(Runnable onExpiry) {
    return new Deadline(timer, onExpiry);
  }

  /** {@code onExpiry} runs once, {@code millis} from now, unless re-armed or disarmed first. */
  public void arm(long millis) {
    long now = LoopClock.nanoTime();
    armed = true;
    dueNanos = now + TimeUnit.MILLISECONDS.toNanos(Math.max(1, millis));
    timer.due(dueNanos, now);
  }

  /** Calls the deadline off; a pending timer stays and finds nothing to do. */
  public void disarm() {
    armed = false;
  }

  public boolean isArmed() {
    return armed;
  }

  /**
   * Calls it off for good (the owner is closing): once no sibling is armed either, the timer is
   * dropped, and with it the event loop's reference to us.
   */
  public void cancel() {
    armed = false;
    for (Deadline d = timer.first; d != null; d = d.next) {
      if (d.armed) {
        return;
      }
    }
    timer.drop();
  }

  /** The one scheduled task behind a deadline and its siblings. */
  private static final class Timer implements Runnable, Handler<Timer> {
    private final ContextInternal context;
    /** The deadlines on this timer, the last made first. */
    private Deadline first;
    private ScheduledFuture<?> scheduled;
    private long scheduledNanos;

    Timer(ContextInternal context) {
      this.context = context;
    }

    /** A member is due at {@code dueNanos}: the task must run by then. */
    void due(long dueNanos, long now) {
      if (scheduled != null && scheduledNanos - dueNanos > 0) {
        drop(); // the new deadline is earlier than the task
      }
      if (scheduled == null) {
        schedule(dueNanos, now);
      }
    }

    private void schedule(long dueNanos, long now) {
      scheduledNanos = dueNanos;
      scheduled = context.nettyEventLoop().schedule(this, Math.max(0, dueNanos - now), TimeUnit.NANOSECONDS);
    }

    void drop() {
      if (scheduled != null) {
        scheduled.cancel(false);
        scheduled = null;
      }
    }

    /** On the event loop, outside any context: the members' expiries run on theirs. */
    @Override
    public void run() {
      context.emit(this, this);
    }

    @Override
    public void handle(Timer self) {
      scheduled = null;
      long now = LoopClock.nanoTime();
      for (Deadline d = first; d != null; d = d.next) {
        if (d.armed && d.dueNanos - now <= 0) {
          d.armed = false;
          d.onExpiry.run(); // may arm this or a sibling again, which may set the task again
        }
      }
      long earliest = 0;
      boolean any = false;
      for (Deadline d = first; d != null; d = d.next) {
        if (d.armed && (!any || d.dueNanos - earliest < 0)) {
          earliest = d.dueNanos;
          any = true;
        }
      }
      // For the earliest still armed: pushed back since the task was set, or a sibling waiting
      // (a task an expiry set for itself may be later than that sibling's due).
      if (any && (scheduled == null || scheduledNanos - earliest > 0)) {
        drop();
        schedule(earliest, now);
      }
    }
  }
}
