package io.hopwise.bench.soak;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * The data-integrity soak (issue 22): thousands of transfers in parallel through a running proxy,
 * with random sizes (0 to 20 MB), framings and close styles (length, chunked, until-close,
 * Connection: close, CONNECT tunnels, WebSocket joins), reader speeds and pauses, and origins
 * that reset part-way. Every transfer must end complete with the right digest or visibly aborted
 * at the client; silent truncations and corruptions must be 0. Loopback only; bounded in count
 * and time. Prints one summary line (and the first few faults); exits 1 on any silent fault or hang.
 *
 * <pre>java -cp proxy-bench/target/benchmarks.jar io.hopwise.bench.soak.IntegritySoak \
 *     PROXY_PORT ORIGIN_PORT TRANSFERS PARALLEL SEED LABEL</pre>
 */
public final class IntegritySoak {
  private IntegritySoak() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 6) {
      System.err.println("usage: IntegritySoak PROXY_PORT ORIGIN_PORT TRANSFERS PARALLEL SEED LABEL");
      System.exit(2);
    }
    int proxyPort = Integer.parseInt(args[0]);
    int originPort = Integer.parseInt(args[1]);
    int transfers = Integer.parseInt(args[2]);
    int parallel = Integer.parseInt(args[3]);
    long seed = Long.parseLong(args[4]);
    String label = args[5];

    Random random = new Random(seed);
    List<Transfer> plan = new ArrayList<>();
    for (int i = 0; i < transfers; i++) {
      plan.add(Transfer.draw(i, random));
    }
    long start = System.nanoTime();
    List<SoakClient.Outcome> outcomes = new ArrayList<>();
    try (SoakOrigin origin = new SoakOrigin(originPort)) {
      SoakClient client = new SoakClient(proxyPort, origin.port());
      ExecutorService pool = Executors.newFixedThreadPool(parallel);
      List<Future<SoakClient.Outcome>> futures = new ArrayList<>();
      for (Transfer t : plan) {
        futures.add(pool.submit(() -> client.run(t)));
      }
      for (Future<SoakClient.Outcome> f : futures) {
        outcomes.add(f.get(30, TimeUnit.MINUTES)); // each transfer's reads time out long before
      }
      pool.shutdown();
    }
    double secs = (System.nanoTime() - start) / 1e9;
    report(label, outcomes, secs);
  }

  private static void report(String label, List<SoakClient.Outcome> outcomes, double secs) {
    Map<SoakClient.Verdict, Integer> counts = new EnumMap<>(SoakClient.Verdict.class);
    long bytes = 0;
    List<SoakClient.Outcome> faults = new ArrayList<>();
    for (SoakClient.Outcome o : outcomes) {
      counts.merge(o.verdict(), 1, Integer::sum);
      bytes += o.bytes();
      if (o.verdict() != SoakClient.Verdict.COMPLETE && o.verdict() != SoakClient.Verdict.ABORTED_EXPECTED) {
        faults.add(o);
      }
    }
    int silent = counts.getOrDefault(SoakClient.Verdict.SILENT_TRUNCATION, 0)
        + counts.getOrDefault(SoakClient.Verdict.CORRUPTED, 0);
    int aborted = counts.getOrDefault(SoakClient.Verdict.ABORTED_EXPECTED, 0)
        + counts.getOrDefault(SoakClient.Verdict.ABORTED_UNEXPECTED, 0);
    System.out.printf("%-9s transfers %6d  complete %6d  visibly aborted %5d (origin reset %d, other %d)"
            + "  error status %d  hung %d  SILENT %d (truncated %d, corrupted %d)  %.1f GB in %.0f s%n",
        label, outcomes.size(), counts.getOrDefault(SoakClient.Verdict.COMPLETE, 0), aborted,
        counts.getOrDefault(SoakClient.Verdict.ABORTED_EXPECTED, 0),
        counts.getOrDefault(SoakClient.Verdict.ABORTED_UNEXPECTED, 0),
        counts.getOrDefault(SoakClient.Verdict.ERROR_STATUS, 0), counts.getOrDefault(SoakClient.Verdict.HUNG, 0),
        silent, counts.getOrDefault(SoakClient.Verdict.SILENT_TRUNCATION, 0),
        counts.getOrDefault(SoakClient.Verdict.CORRUPTED, 0), bytes / 1e9, secs);
    // The first three of each kind of fault, to start from.
    Map<SoakClient.Verdict, Integer> shown = new EnumMap<>(SoakClient.Verdict.class);
    for (SoakClient.Outcome o : faults) {
      if (shown.merge(o.verdict(), 1, Integer::sum) <= 3) {
        System.out.println("  " + o.verdict() + " " + o.transfer() + " got " + o.bytes() + " " + o.detail());
      }
    }
    if (silent > 0 || counts.getOrDefault(SoakClient.Verdict.HUNG, 0) > 0) {
      System.exit(1);
    }
  }
}
