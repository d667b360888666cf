package io.hopwise.bench;

import io.hopwise.HopwiseProxy;
import io.hopwise.ProxyListener;
import io.hopwise.ProxyOptions;
import io.hopwise.io.TransportChoice;
import io.hopwise.io.Transports;
import io.hopwise.server.ProxyServer;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * Issue 7's io_uring start-up anomaly, at the proxy level (issue 22 item 5): starts a new Vert.x
 * and proxy STARTS times on one transport, sends one request through each to a loopback origin
 * (so each proxy's first upstream connection carries it), and counts what the client got.
 *
 * <pre>java -cp proxy-bench/target/benchmarks.jar io.hopwise.bench.FirstConnections io_uring 300</pre>
 */
public final class FirstConnections {
  private FirstConnections() {}

  public static void main(String[] args) throws Exception {
    TransportChoice.Kind kind = TransportChoice.Kind.parse(args.length > 0 ? args[0] : "auto");
    int starts = args.length > 1 ? Integer.parseInt(args[1]) : 300;
    Map<String, Integer> outcomes = new TreeMap<>();
    try (ServerSocket origin = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      Thread t = new Thread(() -> answer(origin), "origin");
      t.setDaemon(true);
      t.start();
      for (int i = 0; i < starts; i++) {
        Transports.Started started = Transports.start(new VertxOptions(), kind);
        Vertx vertx = started.vertx();
        try {
          HopwiseProxy proxy = ProxyServer.start(vertx, ProxyOptions.builder().setHost("127.0.0.1").setPort(0)
              .setEventLoops(1).build(), ProxyListener.NONE).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
          outcomes.merge(started.transport().kind() + " " + fetch(proxy.port(), origin.getLocalPort()), 1, Integer::sum);
          proxy.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } finally {
          vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
      }
    }
    System.out.println("first requests through " + starts + " new proxies: " + outcomes);
  }

  /** The status line the client got, or what went wrong. */
  private static String fetch(int proxyPort, int originPort) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), proxyPort), 5000);
      s.setSoTimeout(10_000);
      s.getOutputStream().write(("GET http://127.0.0.1:" + originPort + "/ HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
          .getBytes(StandardCharsets.ISO_8859_1));
      String response = new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
      if (response.isEmpty()) {
        return "closed without a response";
      }
      String line = response.substring(0, response.indexOf('\r'));
      return line.endsWith("OK") && !response.endsWith("hello") ? line + " (body short)" : line;
    } catch (Exception e) {
      return "error: " + e.getClass().getSimpleName();
    }
  }

  private static void answer(ServerSocket origin) {
    while (!origin.isClosed()) {
      try (Socket s = origin.accept()) {
        InputStream in = s.getInputStream();
        byte[] buf = new byte[4096];
        int n = 0;
        while (n < 4 || !new String(buf, 0, n, StandardCharsets.ISO_8859_1).contains("\r\n\r\n")) {
          int r = in.read(buf, n, buf.length - n);
          if (r < 0) {
            break;
          }
          n += r;
        }
        OutputStream out = s.getOutputStream();
        out.write("HTTP/1.1 200 OK\r\nContent-Length: 5\r\nConnection: close\r\n\r\nhello".getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        s.shutdownOutput();
        while (in.read(buf) >= 0) {
          // until the proxy closes
        }
      } catch (Exception e) {
        // next
      }
    }
  }
}
