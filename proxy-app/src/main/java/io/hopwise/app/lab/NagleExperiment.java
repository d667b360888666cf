package io.hopwise.app.lab;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintStream;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;

/**
 * Experiment 2, Nagle's algorithm and delayed acknowledgements: each request's head written in
 * two small writes, on a kept-alive connection, with TCP_NODELAY off (Nagle on) and on. With
 * Nagle, the second write waits until the first is acknowledged; the proxy, which has no answer
 * to send yet, may delay that acknowledgement (at least 40 ms on Linux): a stall of one round trip,
 * plus the delayed ACK when the receiver delays it. Two cases show both: a forwarded request (the
 * proxy has nothing to send until the origin answers, and Linux acknowledges at once) and one the
 * proxy answers itself (the PAC file: Linux sees an interactive connection and delays its ACKs).
 * hopwise sets TCP_NODELAY on its own sockets, so only the client's choice shows.
 */
final class NagleExperiment implements Experiment {
  @Override
  public String name() {
    return "nagle";
  }

  @Override
  public ObjectNode run(LabContext lab, PrintStream out) throws Exception {
    int n = lab.options().requests();
    double rttMs = lab.options().rtt().toNanos() / 1e6;
    long[] nagle = lab.network().inClient(() -> twoWrites(lab, false, n, false));
    long[] noDelay = lab.network().inClient(() -> twoWrites(lab, true, n, false));
    long[] nagleLocal = lab.network().inClient(() -> twoWrites(lab, false, n, true));
    long[] noDelayLocal = lab.network().inClient(() -> twoWrites(lab, true, n, true));
    double fwdNagle = Stats.of(nagle).medianMs();
    double fwd = Stats.of(noDelay).medianMs();
    double localNagle = Stats.of(nagleLocal).medianMs();
    double local = Stats.of(noDelayLocal).medianMs();
    out.printf("%n2. Nagle and delayed ACK: each request head in two writes, %d requests on one kept-alive connection%n", n);
    out.printf("   %-44s %11s %11s %9s  %s%n", "", "Nagle on", "NODELAY", "stall", "the chapter predicts (stall)");
    out.printf("   %-44s %8.1f ms %8.1f ms %6.1f ms  1 RTT = %.0f ms: the proxy acknowledges at once%n",
        "forwarded (the answer is 2 RTT away)", fwdNagle, fwd, fwdNagle - fwd, rttMs);
    out.printf("   %-44s %8.1f ms %8.1f ms %6.1f ms  1 RTT + delayed ACK (>= 40 ms) = %.0f ms or more%n",
        "answered by the proxy itself (PAC file)", localNagle, local, localNagle - local, rttMs + 40);
    out.println("   With Nagle the second write waits for the first one's ACK. Linux delays an ACK only on a connection"
        + " it sees as interactive (it answered within the delayed-ACK time): a proxy that must ask the origin first acks"
        + " at once; one that answers at once delays it, and the stall grows by the delayed-ACK timer.");
    ObjectNode r = LabContext.JSON.createObjectNode();
    r.put("rttMs", rttMs).put("requests", n);
    r.putObject("forwarded").put("nagleMedianMs", fwdNagle).put("noDelayMedianMs", fwd).put("stallMs", fwdNagle - fwd)
        .put("predictedStallMs", rttMs);
    r.putObject("answeredByTheProxy").put("nagleMedianMs", localNagle).put("noDelayMedianMs", local)
        .put("stallMs", localNagle - local).put("predictedStallMs", rttMs + 40);
    for (long t : nagle) {
      r.withArray("forwardedNagleMs").add(t / 1e6);
    }
    for (long t : noDelay) {
      r.withArray("forwardedNoDelayMs").add(t / 1e6);
    }
    for (long t : nagleLocal) {
      r.withArray("localNagleMs").add(t / 1e6);
    }
    for (long t : noDelayLocal) {
      r.withArray("localNoDelayMs").add(t / 1e6);
    }
    return r;
  }

  /** {@code n} requests (after one not counted), each head written as two segments. */
  private static long[] twoWrites(LabContext lab, boolean noDelay, int n, boolean local) throws Exception {
    List<Long> times = new ArrayList<>();
    try (Socket s = LabClient.connect(lab.proxyPort(), noDelay)) {
      for (int i = 0; i <= n; i++) {
        String head = local ? "GET /proxy.pac HTTP/1.1\r\nHost: " + LabNetwork.PROXY_ADDRESS + "\r\n\r\n"
            : LabClient.request("/nagle/" + i, false);
        int cut = head.indexOf("\r\n") + 2; // the request line, then the fields
        long t0 = System.nanoTime();
        LabClient.send(s, head.substring(0, cut));
        LabClient.send(s, head.substring(cut));
        LabClient.readResponse(s.getInputStream());
        if (i > 0) {
          times.add(System.nanoTime() - t0);
        }
      }
    }
    return times.stream().mapToLong(Long::longValue).toArray();
  }
}
