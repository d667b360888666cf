package io.hopwise.app.lab;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hopwise.HopwiseProxy;
import io.hopwise.ProxyOptions;
import io.hopwise.options.ParentsOptions;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Experiment 7, Proxy-Connection across a chain: browsers of the 1990s sent
 * {@code Proxy-Connection: Keep-Alive} to their proxy, so that a dumb proxy would pass on a
 * field no server acts on. It works with one proxy; the chapter shows how it breaks across a
 * chain. Two chains, each client sending two requests and Proxy-Connection: Keep-Alive:
 * <ul>
 *   <li>smart (hopwise) -> dumb -> smart (hopwise): the first hop consumes Proxy-Connection and keeps
 *       its connection to the dumb proxy for the next request; the dumb proxy, one request per
 *       connection, never forwards that one: it hangs until the last hop drops the idle
 *       connection (3 s here), and the first hop then retries it on a new connection;
 *   <li>dumb -> smart (hopwise), an HTTP/1.0 client: the dumb proxy passes Proxy-Connection on; an
 *       old smart proxy took it as the dumb one's wish to keep alive, and hung it; hopwise removes
 *       it and answers an HTTP/1.0 request with Connection: close, so nothing waits.
 * </ul>
 * The origin's answer is the head it received: which fields crossed which hop.
 */
final class ProxyConnectionExperiment implements Experiment {
  private static final int WAIT_MILLIS = 15_000;

  @Override
  public String name() {
    return "proxyconnection";
  }

  /** Two requests through a chain: what the origin saw first, and how long each took. */
  record Run(String originSaw, double firstMs, String second, double secondMs) {}

  @Override
  public ObjectNode run(LabContext lab, PrintStream out) throws Exception {
    // The next hop's client is the previous proxy, here: its address is allowed too.
    List<String> clients = List.of(LabNetwork.CLIENT_ADDRESS + "/32", LabNetwork.PROXY_ADDRESS + "/32");
    HopwiseProxy last = lab.startProxy(b -> b.setPseudonym("hopwise-last").setClientIdleTimeout(Duration.ofSeconds(3))
        .setClientAccess(clients, false));
    HopwiseProxy dumb = lab.startProxy(b -> b.setMode(ProxyOptions.Mode.DUMB).setParents(parent(last.port()), Map.of())
        .setClientAccess(clients, false));
    HopwiseProxy first = lab.startProxy(b -> b.setPseudonym("hopwise-first").setParents(parent(dumb.port()), Map.of()));
    Run chain;
    Run dumbFirst;
    try {
      chain = lab.network().inClient(() -> twoRequests(first.port(), "HTTP/1.1"));
      dumbFirst = lab.network().inClient(() -> twoRequests(dumb.port(), "HTTP/1.0"));
    } finally {
      for (HopwiseProxy p : List.of(first, dumb, last)) {
        p.close().toCompletionStage().toCompletableFuture().get(10, java.util.concurrent.TimeUnit.SECONDS);
      }
    }
    out.printf("%n7. Proxy-Connection: Keep-Alive across a chain, two requests from one client%n");
    out.printf("   %-34s %10s %-62s %s%n", "chain", "1st", "2nd request", "the chapter predicts");
    out.printf("   %-34s %7.0f ms %-62s %s%n", "hopwise -> dumb -> hopwise", chain.firstMs(),
        chain.second() + String.format(" (%.0f ms)", chain.secondMs()), "the 2nd hangs at the dumb hop");
    out.printf("   %-34s %7.0f ms %-62s %s%n", "dumb -> hopwise (HTTP/1.0 client)", dumbFirst.firstMs(),
        dumbFirst.second() + String.format(" (%.0f ms)", dumbFirst.secondMs()), "no hang: hopwise ignores Proxy-Connection");
    out.printf("   the origin received, through hopwise -> dumb -> hopwise:%n%s", LabClient.indented(chain.originSaw()));
    out.printf("   the origin received, through dumb -> hopwise:%n%s", LabClient.indented(dumbFirst.originSaw()));
    ObjectNode r = LabContext.JSON.createObjectNode();
    r.put("lastHopIdleTimeoutMs", 3000);
    for (var e : Map.of("smartDumbSmart", chain, "dumbSmart", dumbFirst).entrySet()) {
      r.putObject(e.getKey()).put("originSaw", e.getValue().originSaw()).put("firstMs", e.getValue().firstMs())
          .put("second", e.getValue().second()).put("secondMs", e.getValue().secondMs());
    }
    return r;
  }

  private static ParentsOptions parent(int port) {
    return ParentsOptions.of(List.of(ParentsOptions.ParentSpec.of("next", "http://" + LabNetwork.PROXY_ADDRESS + ":" + port,
        null, null)), null, "next", null, null);
  }

  private static String request(int i, String version) {
    return "GET http://" + LabNetwork.ORIGIN_ADDRESS + ":" + LabOrigin.PORT + "/head?" + i + " " + version + "\r\nHost: "
        + LabNetwork.ORIGIN_ADDRESS + ":" + LabOrigin.PORT + "\r\nProxy-Connection: Keep-Alive\r\n\r\n";
  }

  /** As the browsers of the time: the 2nd request on the same connection if the answer allows it, else on a new one. */
  private static Run twoRequests(int port, String version) throws Exception {
    try (Socket s = LabClient.connect(port, true)) {
      long t0 = System.nanoTime();
      LabClient.send(s, request(1, version));
      InputStream in = s.getInputStream();
      String head = LabOrigin.readHead(in);
      String body = new String(in.readNBytes(Integer.parseInt(LabClient.field(head, "Content-Length"))),
          StandardCharsets.ISO_8859_1);
      double first = (System.nanoTime() - t0) / 1e6;
      String connection = LabClient.field(head, "Connection");
      long t1 = System.nanoTime();
      boolean reuse = version.equals("HTTP/1.1") ? !connection.equalsIgnoreCase("close")
          : connection.equalsIgnoreCase("keep-alive") || LabClient.field(head, "Proxy-Connection")
              .equalsIgnoreCase("keep-alive");
      if (reuse) {
        LabClient.send(s, request(2, version));
        s.setSoTimeout(WAIT_MILLIS);
        try {
          LabClient.readResponse(in);
          return new Run(body, first, "answered on the same connection", (System.nanoTime() - t1) / 1e6);
        } catch (SocketTimeoutException e) {
          return new Run(body, first, "no answer in " + WAIT_MILLIS / 1000 + " s", (System.nanoTime() - t1) / 1e6);
        } catch (IOException e) {
          return new Run(body, first, "no answer: " + e.getMessage(), (System.nanoTime() - t1) / 1e6);
        }
      }
      try (Socket again = LabClient.connect(port, true)) {
        LabClient.send(again, request(2, version));
        LabClient.readResponse(again.getInputStream());
        return new Run(body, first, "answered on a new connection (the 1st said close)", (System.nanoTime() - t1) / 1e6);
      }
    }
  }

}
