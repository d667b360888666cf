package io.hopwise.app.config;

import java.util.Locale;

/** How the proxy treats traffic: {@code smart} applies the HTTP rules, {@code dumb} relays bytes. */
public enum Mode {
  SMART,
  DUMB;

  /** Parses {@code smart} or {@code dumb} (lower case, as written in the config and on the command line). */
  public static Mode parse(String s) {
    for (Mode m : values()) {
      if (m.toString().equals(s)) {
        return m;
      }
    }
    throw new IllegalArgumentException("expected smart or dumb, got '" + s + "'");
  }

  @Override
  public String toString() {
    return name().toLowerCase(Locale.ROOT);
  }
}
