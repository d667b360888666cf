package io.hopwise.app.lab;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hopwise.ProxyListener;
import java.io.InputStream;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;

/**
 * Experiment 1, handshake cost: the same requests through the proxy with a new connection on
 * each hop for each (the client connects anew, the origin closes after each answer), and over
 * persistent connections (one client connection, the proxy's pooled upstream one). The chapter
 * predicts one round trip more per new connection, on each hop: 4 RTT a request against 2.
 */
final class HandshakeExperiment implements Experiment {
  @Override
  public String name() {
    return "handshake";
  }

  /** One request's times, in nanoseconds: its connect (0 when the connection was already open) and its whole. */
  record Sample(long connectNanos, long totalNanos) {}

  @Override
  public ObjectNode run(LabContext lab, java.io.PrintStream out) throws Exception {
    int n = lab.options().requests();
    lab.records().clear();
    List<Sample> fresh = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int k = i;
      fresh.add(lab.network().inClient(() -> newConnectionRequest(lab, "/new/" + k)));
    }
    List<ProxyListener.ExchangeRecord> freshRecords = lab.records().drain(n);
    // Persistent: one client connection; a first request (not counted) opens both hops.
    List<Sample> pooled = lab.network().inClient(() -> persistentRequests(lab, n));
    List<ProxyListener.ExchangeRecord> pooledRecords = lab.records().drain(n + 1).subList(1, n + 1);

    double rttMs = lab.options().rtt().toNanos() / 1e6;
    Stats newStats = Stats.of(fresh.stream().mapToLong(Sample::totalNanos).toArray());
    Stats pooledStats = Stats.of(pooled.stream().mapToLong(Sample::totalNanos).toArray());
    long newUpstream = freshRecords.stream().filter(r -> r.upstream() == ProxyListener.UpstreamUse.NEW).count();
    long pooledNewUpstream = pooledRecords.stream().filter(r -> r.upstream() == ProxyListener.UpstreamUse.NEW).count();
    Stats clientConnect = Stats.of(fresh.stream().mapToLong(Sample::connectNanos).toArray());
    Stats upstreamConnect = Stats.of(freshRecords.stream().filter(r -> r.upstreamLeg() != null && !r.upstreamLeg().reused())
        .mapToLong(r -> r.upstreamLeg().connectNanos()).toArray());
    Stats upstreamRtt = Stats.of(freshRecords.stream().filter(r -> r.upstreamLeg() != null && r.upstreamLeg().atConnect() != null)
        .mapToLong(r -> r.upstreamLeg().atConnect().rttMicros() * 1000).toArray());

    out.printf("%n1. Handshake cost: %d requests each way, RTT %.0f ms on each hop%n", n, rttMs);
    out.printf("   %-34s %14s %9s %9s  %s%n", "", "per request", "client", "upstream", "the chapter predicts");
    out.printf("   %-34s %14s %9s %9s  %s%n", "", "(median)", "conns", "conns", "");
    out.printf("   %-34s %11.1f ms %9d %9d  4 RTT = %.0f ms (a handshake on each hop, then the exchange)%n",
        "a new connection on each hop", newStats.medianMs(), n, newUpstream, 4 * rttMs);
    out.printf("   %-34s %11.1f ms %9d %9d  2 RTT = %.0f ms (the exchange only)%n",
        "persistent (keep-alive, pooled)", pooledStats.medianMs(), 1, pooledNewUpstream, 2 * rttMs);
    out.printf("   the connect itself: client hop %.1f ms, proxy to origin %.1f ms (median; 1 RTT predicted);"
        + " TCP_INFO rtt on the origin hop %.1f ms%n", clientConnect.medianMs(), upstreamConnect.medianMs(), upstreamRtt.medianMs());

    ObjectNode r = LabContext.JSON.createObjectNode();
    r.put("rttMs", rttMs).put("requests", n);
    ObjectNode fr = r.putObject("newConnections");
    fr.put("medianMs", newStats.medianMs()).put("clientConnections", n).put("upstreamConnections", newUpstream)
        .put("predictedMs", 4 * rttMs).put("clientConnectMedianMs", clientConnect.medianMs())
        .put("upstreamConnectMedianMs", upstreamConnect.medianMs()).put("upstreamTcpInfoRttMedianMs", upstreamRtt.medianMs());
    fresh.forEach(s -> fr.withArray("totalMs").add(s.totalNanos() / 1e6));
    ObjectNode po = r.putObject("persistent");
    po.put("medianMs", pooledStats.medianMs()).put("clientConnections", 1).put("upstreamConnections", pooledNewUpstream)
        .put("predictedMs", 2 * rttMs);
    pooled.forEach(s -> po.withArray("totalMs").add(s.totalNanos() / 1e6));
    return r;
  }

  private static Sample newConnectionRequest(LabContext lab, String path) throws Exception {
    long t0 = System.nanoTime();
    try (Socket s = LabClient.connect(lab.proxyPort(), true)) {
      long t1 = System.nanoTime();
      LabClient.send(s, LabClient.request(path, true));
      LabClient.readResponse(s.getInputStream());
      return new Sample(t1 - t0, System.nanoTime() - t0);
    }
  }

  private static List<Sample> persistentRequests(LabContext lab, int n) throws Exception {
    List<Sample> samples = new ArrayList<>();
    try (Socket s = LabClient.connect(lab.proxyPort(), true)) {
      InputStream in = s.getInputStream();
      for (int i = 0; i <= n; i++) {
        long t0 = System.nanoTime();
        LabClient.send(s, LabClient.request("/pooled/" + i, false));
        LabClient.readResponse(in);
        if (i > 0) {
          samples.add(new Sample(0, System.nanoTime() - t0));
        }
      }
    }
    return samples;
  }

}
