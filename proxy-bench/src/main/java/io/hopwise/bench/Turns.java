package io.hopwise.bench;

import java.util.Arrays;
import java.util.function.IntToLongFunction;

/** What {@link HeadAB} and {@link HeadTrace} share: timing a {@link HeadDriver} in turns, and their statistics. */
final class Turns {
  /** Requests per timed turn: a few milliseconds, long against a clock reading, short against the machine's changes. */
  static final int CALLS = 2_000;

  private Turns() {}

  /** Runs the drivers in turns for 8 s, so that C2 has compiled them before anything is timed. */
  static void warmUp(IntToLongFunction... drivers) {
    long end = System.nanoTime() + 8_000_000_000L;
    while (System.nanoTime() < end) {
      for (IntToLongFunction d : drivers) {
        d.applyAsLong(CALLS);
      }
    }
  }

  /** One turn: the driver's nanoseconds per request. */
  static double nsPerRequest(IntToLongFunction driver) {
    return driver.applyAsLong(CALLS) / (double) CALLS;
  }

  /** The median of values[0, n): the middle one, or the mean of the two middle ones. */
  static double median(double[] values, int n) {
    double[] sorted = sorted(values, n);
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }

  /** The value at rank round(p (n - 1)) of values[0, n) in order: p = 0 is the least, 1 the greatest. */
  static double percentile(double[] values, int n, double p) {
    return sorted(values, n)[(int) Math.round(p * (n - 1))];
  }

  private static double[] sorted(double[] values, int n) {
    double[] sorted = Arrays.copyOf(values, n);
    Arrays.sort(sorted);
    return sorted;
  }
}
