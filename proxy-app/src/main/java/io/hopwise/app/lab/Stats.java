package io.hopwise.app.lab;

import java.util.Arrays;

/** A series' median, in milliseconds (NaN when empty). Pure. */
record Stats(double medianMs) {
  static Stats of(long[] nanos) {
    if (nanos.length == 0) {
      return new Stats(Double.NaN);
    }
    long[] s = nanos.clone();
    Arrays.sort(s);
    double m = s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2.0;
    return new Stats(m / 1e6);
  }
}
