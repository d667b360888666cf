package io.hopwise.app.lab;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hopwise.HopwiseProxy;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * Experiment 9, graceful and abrupt close: a client uploads 4 MB to a server that refuses it
 * (413) after reading only the head, then reads the answer. A naive server writes its 413 and
 * closes at once: the client's data still arriving meets a closed socket, the kernel answers with
 * a reset, and the client, still writing, gets an error instead of the response (RFC 9112 9.6).
 * hopwise, refusing the same upload (limits.maxRequestBodyBytes), closes gracefully: it shuts down
 * its side, reads and discards what still comes for up to client.lingerTimeout, then closes; the
 * client finishes writing and reads the 413.
 */
final class CloseExperiment implements Experiment {
  private static final int BODY = 4 << 20;
  static final int NAIVE_PORT = 9090;

  @Override
  public String name() {
    return "close";
  }

  @Override
  public ObjectNode run(LabContext lab, PrintStream out) throws Exception {
    String naive;
    try (ServerSocket server = new ServerSocket(NAIVE_PORT, 16, InetAddress.getByName(LabNetwork.PROXY_ADDRESS))) {
      Thread t = new Thread(() -> refuseAndClose(server), "lab-naive-server");
      t.setDaemon(true);
      t.start();
      naive = lab.network().inClient(() -> upload(NAIVE_PORT));
    }
    String graceful = lab.network().inClient(() -> upload(lab.limited().port()));
    out.printf("%n9. Graceful and abrupt close: a 4 MB upload refused with 413 after the head, the client writing on%n");
    out.printf("   %-48s %-60s %s%n", "server", "what the client got", "the chapter predicts");
    out.printf("   %-48s %-60s %s%n", "naive: writes 413 and closes at once", naive, "a reset: the response lost");
    out.printf("   %-48s %-60s %s%n", "hopwise: shuts down its side, drains, then closes", graceful, "the 413");
    ObjectNode r = LabContext.JSON.createObjectNode();
    r.put("bodyBytes", BODY).put("naive", naive).put("hopwise", graceful)
        .put("naiveLost", !naive.startsWith("the 413")).put("hopwiseKept", graceful.startsWith("the 413"));
    return r;
  }

  /** The naive server: reads the head only, answers 413, closes with the body unread. */
  private static void refuseAndClose(ServerSocket server) {
    try (Socket s = server.accept()) {
      LabOrigin.readHead(s.getInputStream());
      s.getOutputStream().write("HTTP/1.1 413 Content Too Large\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
          .getBytes(StandardCharsets.US_ASCII));
      s.getOutputStream().flush();
    } catch (IOException e) {
      // the client's reset: what the experiment is about
    }
  }

  /** As simple clients do: the whole body, then the answer; says what came of it. */
  private static String upload(int port) throws Exception {
    try (Socket s = LabClient.connect(port, true)) {
      OutputStream out = s.getOutputStream();
      String head = "POST http://" + LabNetwork.ORIGIN_ADDRESS + ":" + LabOrigin.PORT + "/upload HTTP/1.1\r\nHost: "
          + LabNetwork.ORIGIN_ADDRESS + ":" + LabOrigin.PORT + "\r\nContent-Length: " + BODY + "\r\n\r\n";
      out.write(head.getBytes(StandardCharsets.US_ASCII));
      byte[] chunk = new byte[16384];
      try {
        for (int sent = 0; sent < BODY; sent += chunk.length) {
          out.write(chunk);
        }
        out.flush();
      } catch (IOException e) {
        return "writing failed: " + e.getMessage() + "; no response read";
      }
      InputStream in = s.getInputStream();
      try {
        String answer = LabOrigin.readHead(in);
        return answer == null ? "the connection ended with no response"
            : answer.startsWith("HTTP/1.1 413") ? "the 413, after writing the whole body" : "an answer: " + answer.lines().findFirst().orElse("");
      } catch (IOException e) {
        return "reading failed: " + e.getMessage();
      }
    }
  }
}
