package io.hopwise.io;

import io.netty.util.concurrent.FastThreadLocal;

/**
 * The monotonic clock as of the start of the socket read being handled on this thread, the way
 * nginx keeps its time per turn of the event loop. A proxied request read the clock about six
 * times (its deadlines, the pool's connection ages, its duration), and {@code System.nanoTime}
 * costs about 60 ns in this VM; the readings within one read differ by microseconds, and every use
 * is at millisecond scale. Outside a read (timers, tasks, other threads) {@link #nanoTime()} reads
 * the clock itself. {@link FlushCoalescer} brackets each read of a proxy socket.
 */
public final class LoopClock {
  private static final FastThreadLocal<LoopClock> CURRENT = new FastThreadLocal<>() {
    @Override
    protected LoopClock initialValue() {
      return new LoopClock();
    }
  };

  private int depth;
  private long readNanos;

  private LoopClock() {}

  /** {@code System.nanoTime()}, or its value at the start of the read this thread is handling. */
  public static long nanoTime() {
    LoopClock c = CURRENT.get();
    return c.depth > 0 ? c.readNanos : System.nanoTime();
  }

  /** A read starts on this thread; nested reads take a new reading and keep it after they end. */
  static void readStarted() {
    LoopClock c = CURRENT.get();
    c.readNanos = System.nanoTime();
    c.depth++;
  }

  static void readEnded() {
    LoopClock c = CURRENT.get();
    if (c.depth > 0) {
      c.depth--;
    }
  }
}
