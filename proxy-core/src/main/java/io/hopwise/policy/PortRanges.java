package io.hopwise.policy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;

/**
 * A set of TCP ports written as single ports and ranges ({@code 443}, {@code 1024-65535}), kept
 * sorted and merged. Listing every unprivileged port one by one took a 64,512-element list, a
 * 64,500-line start-up print and a 442 KB 403 body (issue 26); a range is one element.
 */
public final class PortRanges {
  /** No port at all: for an allow-list, "not set". */
  public static final PortRanges NONE = new PortRanges(new int[0], new int[0]);

  private final int[] from;
  private final int[] to;

  private PortRanges(int[] from, int[] to) {
    this.from = from;
    this.to = to;
  }

  public static PortRanges of(int... ports) {
    return of(Arrays.stream(ports).boxed().toList());
  }

  /**
   * From config values: each an integer port, or a string holding a port or a range
   * {@code low-high}.
   *
   * @throws IllegalArgumentException naming the value that is neither
   */
  public static PortRanges of(Collection<?> items) {
    List<int[]> ranges = new ArrayList<>(items.size());
    for (Object item : items) {
      ranges.add(range(item));
    }
    ranges.sort((a, b) -> Integer.compare(a[0], b[0]));
    int[] from = new int[ranges.size()];
    int[] to = new int[ranges.size()];
    int n = 0;
    for (int[] r : ranges) {
      if (n > 0 && r[0] <= to[n - 1] + 1) {
        to[n - 1] = Math.max(to[n - 1], r[1]); // overlapping or adjacent: one range
      } else {
        from[n] = r[0];
        to[n] = r[1];
        n++;
      }
    }
    return n == 0 ? NONE : new PortRanges(Arrays.copyOf(from, n), Arrays.copyOf(to, n));
  }

  private static int[] range(Object item) {
    String text = String.valueOf(item).strip();
    int dash = text.indexOf('-');
    int low = port(dash < 0 ? text : text.substring(0, dash).strip(), text);
    int high = dash < 0 ? low : port(text.substring(dash + 1).strip(), text);
    if (low > high) {
      throw new IllegalArgumentException("port range must be low-high, got '" + text + "'");
    }
    return new int[] {low, high};
  }

  private static int port(String digits, String whole) {
    int port = digits.matches("[0-9]{1,5}") ? Integer.parseInt(digits) : 0;
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("ports must be 1-65535 or ranges like 1024-65535, got '" + whole + "'");
    }
    return port;
  }

  public boolean contains(int port) {
    int i = Arrays.binarySearch(from, port);
    if (i >= 0) {
      return true;
    }
    int before = -i - 2; // the last range starting below the port
    return before >= 0 && port <= to[before];
  }

  public boolean isEmpty() {
    return from.length == 0;
  }

  /** As written in a config: an integer for a single port, {@code "low-high"} for a range. */
  public List<Object> items() {
    List<Object> out = new ArrayList<>(from.length);
    for (int i = 0; i < from.length; i++) {
      out.add(from[i] == to[i] ? (Object) from[i] : from[i] + "-" + to[i]);
    }
    return out;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PortRanges p && Arrays.equals(from, p.from) && Arrays.equals(to, p.to);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(from) * 31 + Arrays.hashCode(to);
  }

  /** {@code 443, 1024-65535}: short, whatever the number of ports. */
  @Override
  public String toString() {
    StringBuilder b = new StringBuilder();
    for (Object item : items()) {
      b.append(b.isEmpty() ? "" : ", ").append(item);
    }
    return b.toString();
  }
}
