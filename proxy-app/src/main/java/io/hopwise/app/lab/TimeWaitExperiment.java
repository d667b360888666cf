package io.hopwise.app.lab;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintStream;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Experiment 4, TIME_WAIT: the side that closes a TCP connection first keeps it in TIME_WAIT for a
 * minute (Linux). 10,000 requests, each on a new client connection that asks for
 * {@code Connection: close}, through hopwise and through the dumb proxy; then the TIME_WAIT
 * sockets on each machine of the lab. hopwise closes the client connection after the answer (it
 * holds those TIME_WAITs) and keeps its upstream connections pooled (almost none); the dumb proxy
 * opens an upstream connection per request and waits for the origin to close it (the origin holds
 * one per request too). Then port exhaustion: in the client's namespace the ephemeral port range
 * is cut to 50 ports, and 150 connections are made one after another, with the proxy closing
 * first (the client keeps no TIME_WAIT), then with the client closing first (it keeps each port in
 * TIME_WAIT for a minute, and runs out).
 */
final class TimeWaitExperiment implements Experiment {
  static final int REQUESTS = 10_000;
  private static final int PARALLEL = 100;
  private static final int PORTS = 50;
  private static final int ATTEMPTS = 150;

  @Override
  public String name() {
    return "timewait";
  }

  @Override
  public ObjectNode run(LabContext lab, PrintStream out) throws Exception {
    ObjectNode r = LabContext.JSON.createObjectNode();
    r.put("requests", REQUESTS);
    out.printf("%n4. TIME_WAIT: %,d requests, each on a new client connection (Connection: close), %d at a time%n", REQUESTS, PARALLEL);
    out.printf("   %-10s %8s %-44s %s%n", "proxy", "time", "TIME_WAIT sockets: client / proxy / origin", "the chapter predicts");
    int originBefore = 0;
    List<String> clientTimeWait = List.of("ip", "netns", "exec", LabNetwork.CLIENT_NS, "ss", "-Htan", "state", "time-wait");
    int clientBefore = timeWait(clientTimeWait, null); // earlier experiments' (their clients closed first)
    for (String way : List.of("hopwise", "dumb")) {
      // A proxy of its own on a port of its own: its TIME_WAITs are told apart by that port.
      io.hopwise.HopwiseProxy proxy = lab.startProxy(way.equals("hopwise") ? io.hopwise.ProxyOptions.Mode.SMART
          : io.hopwise.ProxyOptions.Mode.DUMB);
      long t0 = System.nanoTime();
      int failed;
      try {
        failed = load(lab, proxy.port());
      } finally {
        proxy.close().toCompletionStage().toCompletableFuture().get(10, java.util.concurrent.TimeUnit.SECONDS);
      }
      double seconds = (System.nanoTime() - t0) / 1e9;
      Thread.sleep(500); // the last closes
      int clientNow = timeWait(clientTimeWait, null);
      int client = Math.max(0, clientNow - clientBefore); // earlier ones may expire meanwhile
      clientBefore = clientNow;
      int atProxy = timeWait(List.of("ss", "-Htan", "state", "time-wait"), LabNetwork.PROXY_ADDRESS + "]:" + proxy.port());
      int originNow = timeWait(List.of("ip", "netns", "exec", LabNetwork.ORIGIN_NS, "ss", "-Htan", "state", "time-wait"), null);
      int origin = originNow - originBefore;
      originBefore = originNow;
      String predicted = way.equals("hopwise")
          ? "the proxy closes each client connection: ~" + REQUESTS + " at the proxy; its upstream ones are pooled: few"
          : "the origin closes each upstream connection: ~" + REQUESTS + " at the origin too";
      out.printf("   %-10s %6.1f s %-44s %s%n", way, seconds, String.format("%,d / %,d / %,d%s", client, atProxy, origin,
          failed == 0 ? "" : " (" + failed + " failed)"), predicted);
      r.putObject(way).put("seconds", seconds).put("failed", failed).put("timeWaitClient", client)
          .put("timeWaitProxy", atProxy).put("timeWaitOrigin", origin);
    }
    out.println("   (A client that reuses a port whose TIME_WAIT the other side still holds ends that TIME_WAIT early:"
        + " the counts can fall short of one per request. hopwise's pool holds 16 connections per origin per event loop:"
        + " 100 requests at a time queue for them.)");

    LabNetwork.ip(false, "netns", "exec", LabNetwork.CLIENT_NS, "sysctl", "-q", "-w",
        "net.ipv4.ip_local_port_range=41000 " + (41000 + PORTS - 1));
    int proxyFirst;
    int clientFirst;
    try {
      // The proxy closing first leaves the client no TIME_WAIT; then the client closing first uses them up.
      proxyFirst = lab.network().inClient(() -> exhaust(lab, false));
      clientFirst = lab.network().inClient(() -> exhaust(lab, true));
    } finally {
      // Linux's default range again: the ports held in TIME_WAIT stay out of it, the next experiments have the rest.
      LabNetwork.ip(false, "netns", "exec", LabNetwork.CLIENT_NS, "sysctl", "-q", "-w", "net.ipv4.ip_local_port_range=32768 60999");
    }
    out.printf("   port exhaustion, %d ephemeral ports in the client's namespace, %d connections one after another:%n", PORTS, ATTEMPTS);
    out.printf("     the client closes first (it holds TIME_WAIT): %d could not get a port (predicted: %d)%n", clientFirst,
        ATTEMPTS - PORTS);
    out.printf("     the proxy closes first (Connection: close):  %d could not get a port (predicted: 0)%n", proxyFirst);
    r.putObject("exhaustion").put("ports", PORTS).put("attempts", ATTEMPTS).put("clientClosesFirstNoPort", clientFirst)
        .put("proxyClosesFirstNoPort", proxyFirst);
    return r;
  }

  /** REQUESTS requests through the proxy on {@code port}, PARALLEL at a time; how many failed. */
  private static int load(LabContext lab, int port) throws Exception {
    ExecutorService pool = LabNetwork.threadsIn(LabNetwork.CLIENT_NS, PARALLEL);
    AtomicInteger next = new AtomicInteger();
    AtomicInteger failed = new AtomicInteger();
    try {
      List<Future<?>> workers = new ArrayList<>();
      for (int w = 0; w < PARALLEL; w++) {
        workers.add(pool.submit(() -> {
          for (int i = next.getAndIncrement(); i < REQUESTS; i = next.getAndIncrement()) {
            try (Socket s = LabClient.connect(port, true)) {
              LabClient.send(s, LabClient.request("/tw/" + i, true));
              LabClient.readResponse(s.getInputStream());
              // Wait for the server's close, so that the server closes first, as it does here.
              s.getInputStream().read();
            } catch (IOException e) {
              failed.incrementAndGet();
            }
          }
          return null;
        }));
      }
      for (Future<?> w : workers) {
        w.get();
      }
    } finally {
      pool.shutdownNow();
    }
    return failed.get();
  }

  /** Connections one after another, each closed by the client first or by the proxy first; how many got no port. */
  private static int exhaust(LabContext lab, boolean clientClosesFirst) {
    int noPort = 0;
    for (int i = 0; i < ATTEMPTS; i++) {
      try (Socket s = LabClient.connect(lab.proxyPort(), true)) {
        LabClient.send(s, LabClient.request("/port/" + i, !clientClosesFirst));
        LabClient.readResponse(s.getInputStream());
        if (!clientClosesFirst) {
          s.getInputStream().read(); // the proxy's close comes first
        }
      } catch (java.net.BindException e) {
        noPort++; // EADDRNOTAVAIL: every port of the range is taken
      } catch (IOException e) {
        noPort += e.getMessage() != null && e.getMessage().contains("assign requested address") ? 1 : 0;
      }
    }
    return noPort;
  }

  /** TIME_WAIT sockets {@code ss} lists, those with local address {@code local} (written "10.77.1.1]:3128") when given. */
  private static int timeWait(List<String> cmd, String localPrefix) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    int n = 0;
    for (String line : new String(p.getInputStream().readAllBytes()).split("\n")) {
      String[] cols = line.trim().split("\\s+");
      if (cols.length >= 4 && (localPrefix == null || cols[2].endsWith(localPrefix) || cols[2].equals(localPrefix.replace("]", "")))) {
        n++;
      }
    }
    p.waitFor();
    return n;
  }
}
