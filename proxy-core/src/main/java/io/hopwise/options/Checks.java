package io.hopwise.options;

import java.time.Duration;

/**
 * Range checks shared by the option records. A message starts with the YAML key's own name
 * ({@code "idleTimeout must be ..."}); the config loader puts the section in front.
 */
final class Checks {
  private Checks() {}

  static int atLeastOne(String name, int n) {
    if (n < 1) {
      throw new IllegalArgumentException(name + " must be >= 1, got " + n);
    }
    return n;
  }

  static long notNegative(String name, long n, String zeroMeans) {
    if (n < 0) {
      throw new IllegalArgumentException(name + " must be >= 0" + zeroMeans + ", got " + n);
    }
    return n;
  }

  static Duration positive(String name, Duration d) {
    if (d == null || d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(name + " must be a positive duration, got " + d);
    }
    return d;
  }
}
