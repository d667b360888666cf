package io.hopwise.http;

import java.util.Locale;

/**
 * The legacy {@code Keep-Alive: timeout=N, max=M} response field (RFC 2068 19.7.1.1, still sent by
 * servers): how long the next hop keeps an idle connection and how many more requests it takes.
 * We close before either limit is reached (http-rules C4).
 *
 * @param timeoutSeconds idle seconds the upstream allows, or -1 if not given
 * @param max requests the upstream will still take on this connection, or -1 if not given
 */
public record KeepAlive(long timeoutSeconds, long max) {
  public static final KeepAlive NONE = new KeepAlive(-1, -1);

  /** Reads every Keep-Alive line; malformed parameters are ignored, the smallest value wins. */
  public static KeepAlive of(HttpFields fields) {
    long timeout = -1;
    long max = -1;
    for (String element : fields.tokens("Keep-Alive")) {
      int eq = element.indexOf('=');
      if (eq < 0) {
        continue;
      }
      String name = element.substring(0, eq).strip().toLowerCase(Locale.ROOT);
      String value = element.substring(eq + 1).strip();
      if (value.startsWith("\"") && value.endsWith("\"") && value.length() >= 2) {
        value = value.substring(1, value.length() - 1);
      }
      if (!Syntax.isDigits(value) || value.length() > 9) {
        continue;
      }
      long n = Long.parseLong(value);
      if (name.equals("timeout")) {
        timeout = timeout < 0 ? n : Math.min(timeout, n);
      } else if (name.equals("max")) {
        max = max < 0 ? n : Math.min(max, n);
      }
    }
    return timeout < 0 && max < 0 ? NONE : new KeepAlive(timeout, max);
  }
}
