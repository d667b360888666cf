package io.hopwise.bench;

import java.util.Arrays;
import java.util.Locale;

/**
 * How the per-request parse + rules time moves second by second in one JVM, and so how much of a
 * JMH mean is the code and how much the machine. On this shared 2-core VM the same compiled code
 * runs at two speeds, switching mid-run and independently on each vCPU (two of these at once show
 * it): the host shares the physical cores with other guests, which the guest cannot see. The fast
 * seconds are the code on a core of its own; a JMH mean mixes both.
 *
 * <p>Usage: {@code java -XX:+UseSerialGC -Xmn24m -cp benchmarks.jar io.hopwise.bench.HeadTrace
 * [seconds] [parseAndRules|parse]}. After an 8 s warm-up, prints each second's median ns per request,
 * then their spread and how many seconds were under 1 µs.
 */
public final class HeadTrace {
  private HeadTrace() {}

  public static void main(String[] args) {
    int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 60;
    if (seconds < 1) {
      System.err.println("HeadTrace: seconds must be 1 or more");
      System.exit(2);
    }
    String mode = args.length > 1 ? args[1] : "parseAndRules";
    HeadDriver driver = new HeadDriver(HeadBenchmark.BROWSER_REQUEST, mode);
    Turns.warmUp(driver);
    double[] perSecond = new double[seconds];
    double[] turns = new double[100_000];
    StringBuilder line = new StringBuilder("HEADTRACE_SECONDS");
    for (int s = 0; s < seconds; s++) {
      int n = 0;
      long end = System.nanoTime() + 1_000_000_000L;
      while (System.nanoTime() < end && n < turns.length) {
        turns[n++] = Turns.nsPerRequest(driver);
      }
      perSecond[s] = Turns.percentile(turns, n, 0.5);
      line.append(' ').append(Math.round(perSecond[s]));
    }
    System.out.println(line);
    long underOneMicro = Arrays.stream(perSecond).filter(v -> v < 1000).count();
    System.out.printf(Locale.ROOT,
        "HEADTRACE mode=%s seconds=%d min=%.0f p25=%.0f median=%.0f p75=%.0f max=%.0f under_1us=%d%n", mode,
        seconds, Turns.percentile(perSecond, seconds, 0), Turns.percentile(perSecond, seconds, 0.25),
        Turns.percentile(perSecond, seconds, 0.5), Turns.percentile(perSecond, seconds, 0.75),
        Turns.percentile(perSecond, seconds, 1), underOneMicro);
  }
}
