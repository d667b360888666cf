package io.hopwise.app.lab;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * The lab's origin, in the origin namespace: HTTP/1.1 keep-alive, a small body; a path under
 * {@code /new/} is answered with {@code Connection: close} and the connection closed, so that the
 * proxy's next request to it needs a new connection; {@code /bytes/N} has a body of N bytes, and
 * {@code /head} the request head exactly as it arrived. An HTTP/1.0 request is kept alive only if
 * it asks ({@code Connection: Keep-Alive}); an idle connection is closed after 3 s.
 */
final class LabOrigin implements AutoCloseable {
  static final int PORT = 8080;
  private static final byte[] OK = "ok".getBytes(StandardCharsets.US_ASCII);
  /** An idle keep-alive connection is closed after this, as servers do. */
  static final int IDLE_TIMEOUT_MILLIS = 3000;
  private final ServerSocket server;

  private LabOrigin(ServerSocket server) {
    this.server = server;
    Thread t = new Thread(this::acceptAll, "lab-origin");
    t.setDaemon(true);
    t.start();
  }

  /** Listens in the origin namespace (the socket is made on a thread that joined it). */
  static LabOrigin start(LabNetwork net) throws Exception {
    return new LabOrigin(net.inOrigin(() -> new ServerSocket(PORT, 512, InetAddress.getByName(LabNetwork.ORIGIN_ADDRESS))));
  }

  private void acceptAll() {
    while (!server.isClosed()) {
      try {
        Socket s = server.accept();
        Thread t = new Thread(() -> serve(s), "lab-origin-conn");
        t.setDaemon(true);
        t.start();
      } catch (IOException e) {
        return;
      }
    }
  }

  private static void serve(Socket s) {
    try (s; InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
      s.setTcpNoDelay(true);
      s.setSoTimeout(IDLE_TIMEOUT_MILLIS);
      while (true) {
        String head;
        try {
          head = readHead(in);
        } catch (java.net.SocketTimeoutException e) {
          return; // idle: closed, as servers close idle keep-alive connections
        }
        if (head == null) {
          return;
        }
        String target = head.substring(head.indexOf(' ') + 1, head.indexOf(' ', head.indexOf(' ') + 1));
        if (target.startsWith("http://")) {
          target = target.substring(target.indexOf('/', 7)); // absolute-form, as a dumb proxy relays it
        }
        String requestLine = head.substring(0, head.indexOf('\r'));
        boolean http10 = requestLine.endsWith("HTTP/1.0");
        boolean keepAlive10 = http10 && head.toLowerCase(java.util.Locale.ROOT).contains("\nconnection: keep-alive");
        boolean close = target.startsWith("/new/") || (http10 && !keepAlive10)
            || head.toLowerCase(java.util.Locale.ROOT).contains("\nconnection: close");
        byte[] body = target.startsWith("/head") ? head.getBytes(StandardCharsets.ISO_8859_1)
            : target.contains("/bytes/") ? new byte[Integer.parseInt(target.substring(target.indexOf("/bytes/") + 7)
                .replaceFirst("\\?.*", ""))] : OK;
        // RFC 9112 9.3 and the HTTP/1.0 keep-alive extension: an HTTP/1.0 client that asked gets Keep-Alive.
        out.write(("HTTP/1.1 200 OK\r\nContent-Length: " + body.length + "\r\n" + (close ? "Connection: close\r\n"
            : keepAlive10 ? "Connection: Keep-Alive\r\n" : "") + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(body);
        out.flush();
        if (close) {
          return;
        }
      }
    } catch (IOException e) {
      // the peer went away
    }
  }

  /** A request head (no body: the lab's requests have none), or null at the end of the stream. */
  static String readHead(InputStream in) throws IOException {
    StringBuilder sb = new StringBuilder();
    int c;
    while ((c = in.read()) >= 0) {
      sb.append((char) c);
      int n = sb.length();
      if (n >= 4 && sb.charAt(n - 1) == '\n' && sb.charAt(n - 2) == '\r' && sb.charAt(n - 3) == '\n' && sb.charAt(n - 4) == '\r') {
        return sb.toString();
      }
    }
    return null;
  }

  @Override
  public void close() throws IOException {
    server.close();
  }
}
