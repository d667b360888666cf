package io.hopwise.app.lab;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.Socket;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Experiment 5, a page of one HTML document and 30 objects (2 KB each) through the proxy, loaded
 * four ways: serially (a new connection per object, one at a time), over 6 parallel connections
 * (a new one per object, as browsers did with HTTP/1.0), over one persistent connection, and
 * pipelined on one (all 30 requests written at once after the document). Each object's start and
 * end are kept for a waterfall. The proxy serves a pipelining client in order, one exchange after
 * another upstream (upstream pipelining is off by default): pipelining saves the client hop's
 * round trips only.
 */
final class PageLoadExperiment implements Experiment {
  static final int OBJECTS = 30;
  private static final int OBJECT_BYTES = 2048;

  @Override
  public String name() {
    return "pageload";
  }

  /** One fetch: the object (0 is the document), the connection it went on, its start and end (ms from the page's start). */
  record Fetch(int object, int connection, double startMs, double endMs) {}

  @Override
  public ObjectNode run(LabContext lab, PrintStream out) throws Exception {
    double rtt = lab.options().rtt().toNanos() / 1e6;
    ObjectNode r = LabContext.JSON.createObjectNode();
    r.put("rttMs", rtt).put("objects", OBJECTS);
    ArrayNode ways = r.putArray("ways");
    out.printf("%n5. A page of 1 document and %d objects, four ways (RTT %.0f ms each hop)%n", OBJECTS, rtt);
    out.printf("   %-26s %10s %12s  %s%n", "", "load time", "connections", "the chapter predicts");
    // Predictions, counting round trips: a new client connection 1 RTT, an exchange 2 (client
    // hop and origin hop; the proxy's upstream connection is pooled after the first).
    Object[][] plan = {
        {"serial", 31 * 3 * rtt + rtt, "a new connection per object, one at a time: 31 x 3 RTT"},
        {"6 parallel connections", 3 * rtt + 5 * 3 * rtt + rtt, "the document, then 30 objects 6 at a time: (1 + 5) x 3 RTT"},
        {"persistent", rtt + 31 * 2 * rtt, "one connection, one exchange at a time: 1 + 31 x 2 RTT"},
        {"pipelined", rtt + 2 * rtt + rtt + 30 * rtt, "the client hop once, the origin hop once per object: ~34 RTT"}};
    for (Object[] p : plan) {
      String way = (String) p[0];
      List<Fetch> fetches = switch (way) {
        case "serial" -> lab.network().inClient(() -> serial(lab));
        case "persistent" -> lab.network().inClient(() -> persistent(lab, false));
        case "pipelined" -> lab.network().inClient(() -> persistent(lab, true));
        default -> parallel(lab, 6);
      };
      double load = fetches.stream().mapToDouble(Fetch::endMs).max().orElse(0);
      long connections = fetches.stream().mapToInt(Fetch::connection).distinct().count();
      out.printf("   %-26s %7.0f ms %12d  %.0f ms: %s%n", way, load, connections, (double) p[1], p[2]);
      ObjectNode w = ways.addObject();
      w.put("way", way).put("loadMs", load).put("connections", connections).put("predictedMs", (double) p[1])
          .put("predicted", (String) p[2]);
      ArrayNode f = w.putArray("fetches");
      for (Fetch x : fetches) {
        f.addArray().add(x.object()).add(x.connection()).add(x.startMs()).add(x.endMs());
      }
    }
    return r;
  }

  private static String get(int object, boolean close) {
    return LabClient.request(object == 0 ? "/page/index.html" : "/page/bytes/" + OBJECT_BYTES + "?o=" + object, close);
  }

  private static List<Fetch> serial(LabContext lab) throws Exception {
    long t0 = System.nanoTime();
    List<Fetch> out = new ArrayList<>();
    for (int i = 0; i <= OBJECTS; i++) {
      double start = ms(t0);
      try (Socket s = LabClient.connect(lab.proxyPort(), true)) {
        LabClient.send(s, get(i, true));
        LabClient.readResponse(s.getInputStream());
      }
      out.add(new Fetch(i, i, start, ms(t0)));
    }
    return out;
  }

  private static List<Fetch> persistent(LabContext lab, boolean pipelined) throws Exception {
    long t0 = System.nanoTime();
    List<Fetch> out = new ArrayList<>();
    try (Socket s = LabClient.connect(lab.proxyPort(), true)) {
      InputStream in = s.getInputStream();
      LabClient.send(s, get(0, false));
      LabClient.readResponse(in);
      out.add(new Fetch(0, 0, 0, ms(t0)));
      if (pipelined) {
        double start = ms(t0);
        StringBuilder all = new StringBuilder();
        for (int i = 1; i <= OBJECTS; i++) {
          all.append(get(i, false));
        }
        LabClient.send(s, all.toString());
        for (int i = 1; i <= OBJECTS; i++) {
          LabClient.readResponse(in);
          out.add(new Fetch(i, 0, start, ms(t0)));
        }
      } else {
        for (int i = 1; i <= OBJECTS; i++) {
          double start = ms(t0);
          LabClient.send(s, get(i, false));
          LabClient.readResponse(in);
          out.add(new Fetch(i, 0, start, ms(t0)));
        }
      }
    }
    return out;
  }

  private static List<Fetch> parallel(LabContext lab, int width) throws Exception {
    ExecutorService pool = LabNetwork.threadsIn(LabNetwork.CLIENT_NS, width);
    try {
      long t0 = System.nanoTime();
      List<Fetch> out = Collections.synchronizedList(new ArrayList<>());
      pool.submit(() -> fetchOnNewConnection(lab, 0, 0, t0, out)).get();
      AtomicInteger next = new AtomicInteger(1);
      List<Future<?>> workers = new ArrayList<>();
      for (int c = 0; c < width; c++) {
        workers.add(pool.submit(() -> {
          for (int i = next.getAndIncrement(); i <= OBJECTS; i = next.getAndIncrement()) {
            fetchOnNewConnection(lab, i, i, t0, out);
          }
          return null;
        }));
      }
      for (Future<?> w : workers) {
        w.get();
      }
      return out;
    } finally {
      pool.shutdownNow();
    }
  }

  private static Void fetchOnNewConnection(LabContext lab, int object, int connection, long t0, List<Fetch> out)
      throws Exception {
    double start = ms(t0);
    try (Socket s = LabClient.connect(lab.proxyPort(), true)) {
      LabClient.send(s, get(object, true));
      LabClient.readResponse(s.getInputStream());
    }
    out.add(new Fetch(object, connection, start, ms(t0)));
    return null;
  }

  private static double ms(long t0) {
    return (System.nanoTime() - t0) / 1e6;
  }
}
