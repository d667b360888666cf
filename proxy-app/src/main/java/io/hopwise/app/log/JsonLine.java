package io.hopwise.app.log;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Builds one JSON object on a single line, by hand: a tree and a generic serializer per request
 * were a tenth of the proxy's CPU under load. Strings are escaped per RFC 8259 section 7.
 */
final class JsonLine {
  private static final DateTimeFormatter SECONDS =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss").withZone(ZoneOffset.UTC);
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  /** The formatted second, reused until the clock moves on (immutable, so safe to share racily). */
  private record Second(long epochSecond, String text) {}

  private static Second second = new Second(Long.MIN_VALUE, "");

  /**
   * Room for a request line (about 250 chars on the benchmark, more with long URLs) from the start:
   * growing from 256 copied the line built so far, the largest single item in a profile under load.
   */
  private final StringBuilder sb = new StringBuilder(1024).append('{');

  JsonLine string(String key, String value) {
    key(key);
    if (value == null) {
      sb.append("null");
    } else {
      quoted(value);
    }
    return this;
  }

  /** The decision fields: role, decision (allow, deny, report-deny) and rule; "-" for what no policy looked at. */
  JsonLine decision(io.hopwise.policy.RoleVerdict v) {
    boolean none = v == io.hopwise.policy.RoleVerdict.NONE;
    return string("role", v.role()).string("decision", none ? "-" : v.outcome().configName()).string("rule", v.rule());
  }

  /**
   * The route and parent that carried an exchange or tunnel (issue 27), when there is something
   * to say: a parent, or a route other than the default; nothing on a plain direct line.
   */
  JsonLine route(io.hopwise.UpstreamLeg leg) {
    if (leg == null || !leg.routeShown()) {
      return this;
    }
    return string("route", leg.route() == null ? "-" : leg.route()).string("parent", leg.parent() == null ? "-" : leg.parent());
  }

  JsonLine number(String key, long value) {
    key(key).append(value);
    return this;
  }

  /** Milliseconds from nanoseconds, with three decimals (microsecond resolution). */
  JsonLine millis(String key, long nanos) {
    long micros = nanos / 1000;
    key(key);
    if (micros < 0) {
      sb.append('-');
      micros = -micros;
    }
    sb.append(micros / 1000).append('.');
    long frac = micros % 1000;
    sb.append((char) ('0' + frac / 100)).append((char) ('0' + frac / 10 % 10)).append((char) ('0' + frac % 10));
    return this;
  }

  JsonLine bool(String key, boolean value) {
    key(key).append(value);
    return this;
  }

  JsonLine strings(String key, Iterable<String> values) {
    key(key).append('[');
    boolean first = true;
    for (String v : values) {
      if (!first) {
        sb.append(',');
      }
      first = false;
      quoted(v);
    }
    sb.append(']');
    return this;
  }

  /** ISO 8601 UTC with milliseconds, e.g. 2026-11-26T07:00:25.123Z (what Instant.parse reads). */
  JsonLine time(String key, long epochMillis) {
    long sec = Math.floorDiv(epochMillis, 1000);
    Second s = second;
    if (s.epochSecond() != sec) {
      s = new Second(sec, SECONDS.format(Instant.ofEpochSecond(sec)));
      second = s;
    }
    int ms = (int) Math.floorMod(epochMillis, 1000);
    key(key).append('"').append(s.text()).append('.')
        .append((char) ('0' + ms / 100)).append((char) ('0' + ms / 10 % 10)).append((char) ('0' + ms % 10))
        .append("Z\"");
    return this;
  }

  /** The object, closed, with a newline, in UTF-8. */
  byte[] toBytes() {
    return sb.append("}\n").toString().getBytes(StandardCharsets.UTF_8);
  }

  private StringBuilder key(String key) {
    if (sb.length() > 1) {
      sb.append(',');
    }
    quoted(key);
    return sb.append(':');
  }

  private void quoted(String s) {
    sb.append('"');
    int clean = 0;
    while (clean < s.length() && plain(s.charAt(clean))) {
      clean++;
    }
    if (clean == s.length()) {
      sb.append(s).append('"'); // the usual case: nothing to escape, one bulk copy
      return;
    }
    sb.append(s, 0, clean);
    for (int i = clean; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        default -> {
          if (c < 0x20 || c == 0x7f || Character.isSurrogate(c) && !validSurrogateAt(s, i)) {
            // Control characters as \\u escapes; a lone surrogate too, so the line stays valid UTF-8.
            sb.append("\\u").append(HEX[c >> 12 & 15]).append(HEX[c >> 8 & 15])
                .append(HEX[c >> 4 & 15]).append(HEX[c & 15]);
          } else {
            sb.append(c);
          }
        }
      }
    }
    sb.append('"');
  }

  private static boolean plain(char c) {
    return c >= 0x20 && c < 0x7f && c != '"' && c != '\\';
  }

  private static boolean validSurrogateAt(String s, int i) {
    char c = s.charAt(i);
    if (Character.isHighSurrogate(c)) {
      return i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
    }
    return i > 0 && Character.isHighSurrogate(s.charAt(i - 1));
  }
}
