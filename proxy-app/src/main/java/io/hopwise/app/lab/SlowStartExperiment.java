package io.hopwise.app.lab;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hopwise.OpenConnection;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Experiment 3, slow start: 1 MB and 10 MB downloads through the proxy on fresh connections (both
 * hops new), on warm ones (just used for 10 MB), and on warm ones after a second of idle. A new
 * TCP connection starts with a small congestion window (10 segments on Linux) and doubles it each
 * round trip until it covers the path's bandwidth-delay product: the chapter predicts a fresh
 * connection slower than a warm one. (The receiver's window also starts small and grows as the
 * reader keeps up, which slows a fresh connection further; and Linux may shrink a window left
 * idle longer than the retransmission timeout, {@code net.ipv4.tcp_slow_start_after_idle}.) The
 * proxy's congestion window toward the client is read from TCP_INFO (the connection view's open
 * connections) every 10 ms.
 */
final class SlowStartExperiment implements Experiment {
  private static final int MB = 1 << 20;
  private static final int MSS = 1448;
  private static final int INITIAL_WINDOW = 10;

  @Override
  public String name() {
    return "slowstart";
  }

  /** One download: its time and the proxy's cwnd toward the client as it went ([ms, segments] pairs). */
  record Download(String connection, int bytes, double ms, List<double[]> cwnd) {}

  @Override
  public ObjectNode run(LabContext lab, PrintStream out) throws Exception {
    double rttMs = lab.options().rtt().toNanos() / 1e6;
    List<Download> downloads = new ArrayList<>();
    for (int size : new int[] {MB, 10 * MB}) {
      downloads.add(lab.network().inClient(() -> {
        try (Socket s = LabClient.connect(lab.proxyPort(), true)) {
          return download(lab, s, "/new/bytes/" + size, size, "fresh");
        }
      }));
    }
    lab.network().inClient(() -> {
      try (Socket s = LabClient.connect(lab.proxyPort(), true)) {
        download(lab, s, "/bytes/" + 10 * MB, 10 * MB, "warming");
        for (int size : new int[] {MB, 10 * MB}) {
          downloads.add(download(lab, s, "/bytes/" + size, size, "warm"));
        }
        for (int size : new int[] {MB, 10 * MB}) {
          Thread.sleep(1000);
          downloads.add(download(lab, s, "/bytes/" + size, size, "warm, after 1 s idle"));
        }
      }
      return null;
    });

    out.printf("%n3. Slow start: downloads through the proxy, RTT %.0f ms each hop; the proxy's cwnd toward the client from TCP_INFO%n",
        rttMs);
    out.printf("   %-24s %8s %11s %13s  %s%n", "connection", "size", "time", "cwnd at end", "the chapter predicts");
    ObjectNode r = LabContext.JSON.createObjectNode();
    r.put("rttMs", rttMs).put("initialWindow", INITIAL_WINDOW).put("mss", MSS).put("bitsPerSecond", lab.options().bitsPerSecond());
    ArrayNode all = r.putArray("downloads");
    long rate = lab.options().bitsPerSecond();
    // The path's bandwidth-delay product: the window that keeps the link busy; slow start doubles
    // the window each round trip from the initial one until it covers it.
    double bdpSegments = rate == 0 ? Double.POSITIVE_INFINITY : rate / 8.0 * rttMs / 1000 / MSS;
    for (Download d : downloads) {
      int segments = (d.bytes() + MSS - 1) / MSS;
      int rounds = 0;
      long sentInSlowStart = 0;
      for (long w = INITIAL_WINDOW; sentInSlowStart < segments && w < bdpSegments; w *= 2) {
        sentInSlowStart += w;
        rounds++;
      }
      double rest = Math.max(0, segments - sentInSlowStart) * MSS * 8.0 * 1000 / Math.max(1, rate);
      double atRate = segments * MSS * 8.0 * 1000 / Math.max(1, rate);
      boolean fresh = d.connection().equals("fresh");
      String predicted = d.connection().startsWith("warm,")
          ? "warm, unless the window shrank while idle (Linux: tcp_slow_start_after_idle)"
          : fresh ? String.format("%.0f ms: handshakes and request 4 RTT, %d RTT of slow start, the rest at the link's rate",
              4 * rttMs + rounds * rttMs + rest, rounds)
          : String.format("%.0f ms: 2 RTT, then the link's rate (the window is open)", 2 * rttMs + atRate);
      double endCwnd = d.cwnd().isEmpty() ? Double.NaN : d.cwnd().get(d.cwnd().size() - 1)[1];
      out.printf("   %-24s %5d MB %8.0f ms %13.0f  %s%n", d.connection(), d.bytes() / MB, d.ms(), endCwnd, predicted);
      ObjectNode n = all.addObject();
      n.put("connection", d.connection()).put("bytes", d.bytes()).put("ms", d.ms()).put("slowStartRounds", rounds)
          .put("predicted", predicted);
      ArrayNode cw = n.putArray("cwnd");
      for (double[] p : d.cwnd()) {
        cw.addArray().add(p[0]).add(p[1]);
      }
    }
    return r;
  }

  /** GETs {@code path} on {@code s} and reads the body, sampling the proxy's cwnd toward this client. */
  private static Download download(LabContext lab, Socket s, String path, int size, String kind) throws Exception {
    List<double[]> cwnd = new java.util.concurrent.CopyOnWriteArrayList<>();
    AtomicBoolean done = new AtomicBoolean();
    String clientEnd = ":" + s.getLocalPort();
    long t0 = System.nanoTime();
    Thread sampler = new Thread(() -> {
      while (!done.get()) {
        try {
          for (OpenConnection c : lab.proxy().connections().toCompletionStage().toCompletableFuture()
              .get(1, TimeUnit.SECONDS).open()) {
            if (c.leg().equals("client") && c.remote().endsWith(clientEnd) && c.tcp() != null) {
              cwnd.add(new double[] {(System.nanoTime() - t0) / 1e6, c.tcp().sndCwnd()});
            }
          }
          Thread.sleep(10);
        } catch (Exception e) {
          return;
        }
      }
    }, "lab-cwnd");
    sampler.setDaemon(true);
    sampler.start();
    LabClient.send(s, LabClient.request(path, false));
    InputStream in = s.getInputStream();
    byte[] body = LabClient.readResponse(in);
    double ms = (System.nanoTime() - t0) / 1e6;
    done.set(true);
    sampler.join(2000);
    if (body.length != size) {
      throw new IllegalStateException("downloaded " + body.length + " of " + size + " bytes");
    }
    return new Download(kind, size, ms, List.copyOf(cwnd));
  }
}
