package io.hopwise.app.lab;

import io.hopwise.app.UsageException;
import io.hopwise.app.config.Durations;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code hopwise lab [--only NAME[,NAME]] [--rtt 50ms] [--loss 0%] [--requests N] [--out DIR]}.
 * Pure: the command line to values, or one line naming what is wrong.
 *
 * @param rtt the round-trip time of each hop (client to proxy, proxy to origin)
 * @param bitsPerSecond each link's rate, each way; 0: no limit
 * @param loss the share of packets each link drops, each way (0 to 0.5)
 * @param only the experiments to run, in the lab's order; all when empty
 */
record LabOptions(Duration rtt, long bitsPerSecond, double loss, Set<String> only, int requests, Path out) {
  /** The experiments the lab knows, in the order it runs them. */
  static final List<String> EXPERIMENTS = List.of("handshake", "nagle", "slowstart", "timewait", "pageload", "dumbhang", "proxyconnection", "connection", "close");

  static final String USAGE = """
      Usage: hopwise lab [--only NAME[,NAME...]] [--rtt DURATION] [--rate MBIT] [--loss PERCENT] [--requests N] [--out DIR]

      Builds a small network on this machine (network namespaces joined by links with a real
      round-trip time), runs the connection-management experiments through the real proxy, prints
      a table of what the textbook predicts beside what was measured, and writes the raw results
      to DIR/lab.json. Needs root.

        --only NAME     run only these experiments: %s
        --rtt DURATION  round-trip time of each hop (default 50ms)
        --rate MBIT     each link's rate in Mbit/s, each way (default 100; 0: no limit)
        --loss PERCENT  packets each link drops, each way (default 0%%)
        --requests N    requests per measured series (default 20)
        --out DIR       where lab.json goes (default lab-out)
      """.formatted(String.join(", ", EXPERIMENTS));

  static LabOptions parse(List<String> args) throws UsageException {
    Duration rtt = Duration.ofMillis(50);
    double loss = 0;
    long bitsPerSecond = 100_000_000L;
    Set<String> only = new LinkedHashSet<>();
    int requests = 20;
    Path out = Path.of("lab-out");
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      int eq = arg.indexOf('=');
      String flag = eq > 0 ? arg.substring(0, eq) : arg;
      String value = eq > 0 ? arg.substring(eq + 1) : i + 1 < args.size() ? args.get(++i) : null;
      if (!List.of("--only", "--rtt", "--rate", "--loss", "--requests", "--out").contains(flag)) {
        throw new UsageException("lab: unknown option '" + flag + "'");
      }
      if (value == null || value.isEmpty()) {
        throw new UsageException("lab: " + flag + " needs a value");
      }
      switch (flag) {
        case "--only" -> {
          for (String name : value.split(",")) {
            if (!EXPERIMENTS.contains(name.strip())) {
              throw new UsageException("lab: --only: no experiment named '" + name.strip() + "' (there are: "
                  + String.join(", ", EXPERIMENTS) + ")");
            }
            only.add(name.strip());
          }
        }
        case "--rtt" -> {
          try {
            rtt = Durations.parse(value);
          } catch (IllegalArgumentException e) {
            throw new UsageException("lab: --rtt: " + e.getMessage());
          }
          if (rtt.isNegative() || rtt.compareTo(Duration.ofSeconds(2)) > 0) {
            throw new UsageException("lab: --rtt must be between 0 and 2s, got " + value);
          }
        }
        case "--rate" -> {
          try {
            double mbit = Double.parseDouble(value.replaceFirst("(?i)mbit(/s)?$", ""));
            if (mbit < 0 || mbit > 10_000) {
              throw new NumberFormatException();
            }
            bitsPerSecond = (long) (mbit * 1_000_000);
          } catch (NumberFormatException e) {
            throw new UsageException("lab: --rate takes Mbit/s from 0 (no limit) to 10000, got '" + value + "'");
          }
        }
        case "--loss" -> {
          try {
            loss = Double.parseDouble(value.endsWith("%") ? value.substring(0, value.length() - 1) : value) / 100;
          } catch (NumberFormatException e) {
            throw new UsageException("lab: --loss takes a percentage, e.g. 1%, got '" + value + "'");
          }
          if (loss < 0 || loss > 0.5) {
            throw new UsageException("lab: --loss must be between 0% and 50%, got " + value);
          }
        }
        case "--requests" -> {
          try {
            requests = Integer.parseInt(value);
          } catch (NumberFormatException e) {
            requests = -1;
          }
          if (requests < 1 || requests > 10_000) {
            throw new UsageException("lab: --requests must be 1-10000, got '" + value + "'");
          }
        }
        default -> out = Path.of(value);
      }
    }
    return new LabOptions(rtt, bitsPerSecond, loss, Set.copyOf(only), requests, out);
  }

  boolean runs(String experiment) {
    return only.isEmpty() || only.contains(experiment);
  }
}
