package io.hopwise.bench.soak;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A raw loopback origin for the soak: each request's query says what to send (see
 * {@link Transfer#query}), and how to end it: keep the connection, FIN right after the last byte
 * (then close when the other side does), or a reset part-way through the body.
 */
final class SoakOrigin implements AutoCloseable {
  private final ServerSocket server;
  private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "soak-origin");
    t.setDaemon(true);
    return t;
  });

  SoakOrigin(int port) throws IOException {
    server = new ServerSocket();
    server.setReuseAddress(true);
    server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1024);
    threads.execute(this::accept);
  }

  int port() {
    return server.getLocalPort();
  }

  private void accept() {
    while (!server.isClosed()) {
      try {
        Socket s = server.accept();
        threads.execute(() -> serve(s));
      } catch (IOException e) {
        return;
      }
    }
  }

  private static void serve(Socket s) {
    try (s) {
      s.setSoTimeout(120_000);
      s.setTcpNoDelay(true);
      InputStream in = new BufferedInputStream(s.getInputStream());
      OutputStream out = new BufferedOutputStream(s.getOutputStream(), 64 * 1024);
      String head;
      while ((head = readHead(in)) != null) {
        if (!answer(s, head, out)) {
          return;
        }
      }
    } catch (IOException e) {
      // the peer went away; the client side judges the transfer
    }
  }

  /** Answers one request; false when the connection is over. */
  private static boolean answer(Socket s, String head, OutputStream out) throws IOException {
    Map<String, String> q = query(head.substring(0, head.indexOf("\r\n")));
    Transfer.Kind kind = Transfer.Kind.valueOf(q.get("kind"));
    long size = Long.parseLong(q.get("size"));
    long seed = Long.parseLong(q.get("seed"));
    long reset = Long.parseLong(q.get("reset"));
    long send = reset >= 0 ? reset : size;
    boolean chunked = kind == Transfer.Kind.CHUNKED_KEEPALIVE || kind == Transfer.Kind.CHUNKED_CLOSE;
    String responseHead = switch (kind) {
      case LENGTH_KEEPALIVE -> "HTTP/1.1 200 OK\r\nContent-Length: " + size + "\r\n\r\n";
      case LENGTH_CLOSE -> "HTTP/1.1 200 OK\r\nContent-Length: " + size + "\r\nConnection: close\r\n\r\n";
      case CHUNKED_KEEPALIVE -> "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n";
      case CHUNKED_CLOSE -> "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n";
      case UNTIL_CLOSE -> "HTTP/1.0 200 OK\r\n\r\n";
      case TUNNEL -> ""; // the request came through a CONNECT tunnel: raw bytes back
      case WEBSOCKET -> "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
          + "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n\r\n";
    };
    out.write(responseHead.getBytes(StandardCharsets.ISO_8859_1));
    Payload.write(seed, send, out, chunked);
    out.flush();
    if (reset >= 0) {
      s.setSoLinger(true, 0);
      s.close(); // a reset part-way through the body
      return false;
    }
    if (chunked) {
      out.write("0\r\nX-Soak: end\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
    }
    if (kind == Transfer.Kind.LENGTH_KEEPALIVE || kind == Transfer.Kind.CHUNKED_KEEPALIVE) {
      return true;
    }
    s.shutdownOutput(); // FIN right after the last byte, then close when the other side does
    InputStream in = s.getInputStream();
    byte[] drain = new byte[16 * 1024];
    try {
      while (in.read(drain) >= 0) {
        // discard
      }
    } catch (IOException e) {
      // reset by the other side: over either way
    }
    return false;
  }

  private static Map<String, String> query(String requestLine) {
    Map<String, String> q = new HashMap<>();
    String target = requestLine.split(" ")[1];
    for (String kv : target.substring(target.indexOf('?') + 1).split("&")) {
      int eq = kv.indexOf('=');
      q.put(kv.substring(0, eq), kv.substring(eq + 1));
    }
    return q;
  }

  /** A head up to its empty line, or null at EOF. */
  static String readHead(InputStream in) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream(256);
    int c;
    int state = 0; // matched characters of CRLFCRLF
    while ((c = in.read()) >= 0) {
      b.write(c);
      state = c == '\r' ? (state == 2 ? 3 : 1) : c == '\n' && (state == 1 || state == 3) ? state + 1 : 0;
      if (state == 4) {
        return b.toString(StandardCharsets.ISO_8859_1);
      }
    }
    return null;
  }

  @Override
  public void close() throws IOException {
    server.close();
    threads.shutdownNow();
  }
}
