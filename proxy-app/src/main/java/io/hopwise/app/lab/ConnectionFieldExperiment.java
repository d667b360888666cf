package io.hopwise.app.lab;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * Experiment 8, the Connection header protects hop-by-hop fields: the client names
 * {@code X-Lab-Hop} in {@code Connection}, meaning "for the next hop only". hopwise removes it
 * (and Connection itself) before forwarding (RFC 9110 7.6.1); a dumb proxy passes both on. The
 * origin answers with the request head exactly as it received it.
 */
final class ConnectionFieldExperiment implements Experiment {
  static final String SENT = "GET http://" + LabNetwork.ORIGIN_ADDRESS + ":" + LabOrigin.PORT + "/head HTTP/1.1\r\nHost: "
      + LabNetwork.ORIGIN_ADDRESS + ":" + LabOrigin.PORT + "\r\nConnection: close, X-Lab-Hop\r\n"
      + "X-Lab-Hop: for the next hop only\r\nX-Lab-End: for the origin\r\n\r\n";

  @Override
  public String name() {
    return "connection";
  }

  @Override
  public ObjectNode run(LabContext lab, PrintStream out) throws Exception {
    String smart = lab.network().inClient(() -> originSaw(lab.proxyPort()));
    String dumb = lab.network().inClient(() -> originSaw(lab.dumb().port()));
    out.printf("%n8. A field named in Connection: the client sends%n%s", LabClient.indented(SENT));
    out.printf("   the origin received, through hopwise (X-Lab-Hop removed: the chapter's rule):%n%s", LabClient.indented(smart));
    out.printf("   the origin received, through the dumb proxy (passed on, as old proxies did):%n%s", LabClient.indented(dumb));
    ObjectNode r = LabContext.JSON.createObjectNode();
    r.put("sent", SENT).put("originSawThroughHopwise", smart).put("originSawThroughDumb", dumb)
        .put("hopwiseRemoved", !smart.contains("X-Lab-Hop")).put("dumbPassedOn", dumb.contains("X-Lab-Hop"));
    return r;
  }

  private static String originSaw(int proxyPort) throws Exception {
    try (Socket s = LabClient.connect(proxyPort, true)) {
      LabClient.send(s, SENT);
      return new String(LabClient.readResponse(s.getInputStream()), StandardCharsets.ISO_8859_1);
    }
  }

}
