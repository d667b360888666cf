package io.hopwise.app.lab;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/**
 * Experiment 6, the dumb proxy and HTTP/1.0 keep-alive: a client of the 1990s asks for
 * {@code Connection: Keep-Alive}. A dumb proxy passes the field on; the origin agrees and says so;
 * the client sends its next request on the same connection; the dumb proxy, which expects one
 * request per connection and waits for the origin to close, never forwards it: the request hangs
 * until the origin drops the idle connection (3 s here), unanswered. hopwise consumes the
 * client's Connection field and answers an HTTP/1.0 client with {@code Connection: close}: the
 * client opens a new connection for its next request (one round trip more, no hang).
 */
final class DumbKeepAliveExperiment implements Experiment {
  private static final int WAIT_MILLIS = 10_000;

  @Override
  public String name() {
    return "dumbhang";
  }

  /** What became of the two requests through one proxy. */
  record Outcome(double firstMs, String firstConnection, String second, double secondMs) {}

  @Override
  public ObjectNode run(LabContext lab, PrintStream out) throws Exception {
    double rttMs = lab.options().rtt().toNanos() / 1e6;
    Outcome dumb = lab.network().inClient(() -> twoRequests(lab.dumb().port()));
    Outcome smart = lab.network().inClient(() -> twoRequests(lab.proxyPort()));
    out.printf("%n6. HTTP/1.0 keep-alive through a dumb proxy: two requests, the client asking for Connection: Keep-Alive%n");
    out.printf("   %-10s %12s %-26s %-48s %s%n", "proxy", "1st answer", "1st answer's Connection", "2nd request", "the chapter predicts");
    out.printf("   %-10s %9.1f ms %-26s %-48s %s%n", "dumb", dumb.firstMs(), dumb.firstConnection(),
        dumb.second() + String.format(" (%.0f ms)", dumb.secondMs()), "hangs until the origin closes, unanswered");
    out.printf("   %-10s %9.1f ms %-26s %-48s %s%n", "hopwise", smart.firstMs(), smart.firstConnection(),
        smart.second() + String.format(" (%.0f ms)", smart.secondMs()), String.format("a new connection: 3 RTT = %.0f ms", 3 * rttMs));
    ObjectNode r = LabContext.JSON.createObjectNode();
    r.put("rttMs", rttMs).put("originIdleTimeoutMs", LabOrigin.IDLE_TIMEOUT_MILLIS);
    for (var e : java.util.Map.of("dumb", dumb, "smart", smart).entrySet()) {
      r.putObject(e.getKey()).put("firstMs", e.getValue().firstMs()).put("firstConnection", e.getValue().firstConnection())
          .put("second", e.getValue().second()).put("secondMs", e.getValue().secondMs());
    }
    return r;
  }

  private static String request(int i) {
    return "GET http://" + LabNetwork.ORIGIN_ADDRESS + ":" + LabOrigin.PORT + "/keep-alive/" + i + " HTTP/1.0\r\nHost: "
        + LabNetwork.ORIGIN_ADDRESS + ":" + LabOrigin.PORT + "\r\nConnection: Keep-Alive\r\n\r\n";
  }

  /** As an HTTP/1.0 keep-alive client does: the next request on the same connection if the answer allows it. */
  private static Outcome twoRequests(int proxyPort) throws Exception {
    try (Socket s = LabClient.connect(proxyPort, true)) {
      long t0 = System.nanoTime();
      LabClient.send(s, request(1));
      InputStream in = s.getInputStream();
      String head = LabOrigin.readHead(in);
      double first = (System.nanoTime() - t0) / 1e6;
      String connection = LabClient.field(head, "Connection");
      in.readNBytes(Integer.parseInt(LabClient.field(head, "Content-Length")));
      long t1 = System.nanoTime();
      if (connection.equalsIgnoreCase("keep-alive")) {
        LabClient.send(s, request(2));
        s.setSoTimeout(WAIT_MILLIS);
        try {
          String second = LabOrigin.readHead(in);
          return new Outcome(first, connection, second == null ? "the connection closed, no answer" : "answered on the same connection",
              (System.nanoTime() - t1) / 1e6);
        } catch (SocketTimeoutException e) {
          return new Outcome(first, connection, "no answer in " + WAIT_MILLIS / 1000 + " s", (System.nanoTime() - t1) / 1e6);
        } catch (IOException e) {
          return new Outcome(first, connection, "the connection broke, no answer", (System.nanoTime() - t1) / 1e6);
        }
      }
      try (Socket again = LabClient.connect(proxyPort, true)) {
        LabClient.send(again, request(2));
        LabClient.readResponse(again.getInputStream());
        return new Outcome(first, connection.isEmpty() ? "(none)" : connection, "answered on a new connection",
            (System.nanoTime() - t1) / 1e6);
      }
    }
  }

}
