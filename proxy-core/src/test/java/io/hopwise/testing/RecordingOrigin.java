package io.hopwise.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A raw-socket origin for end-to-end tests, in the style of OkHttp's MockWebServer: it records the
 * exact bytes of every request it receives (no header normalisation), answers with scripted raw
 * responses, and counts accepted connections. Loopback only.
 */
public final class RecordingOrigin implements AutoCloseable, org.junit.jupiter.api.extension.AfterEachCallback {
  /** A scripted answer: raw bytes to write, then what to do with the connection. */
  public record Reply(byte[] bytes, boolean closeAfter, long delayMillis, boolean silent, long streamBytes) {
    public Reply(byte[] bytes, boolean closeAfter, long delayMillis, boolean silent) {
      this(bytes, closeAfter, delayMillis, silent, 0);
    }

    public static Reply raw(String text) {
      return new Reply(text.getBytes(StandardCharsets.ISO_8859_1), false, 0, false);
    }

    /** A head with Content-Length {@code n}, then {@code n} bytes generated while writing. */
    public static Reply streamed(long n) {
      return new Reply(("HTTP/1.1 200 OK\r\nContent-Length: " + n + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1),
          false, 0, false, n);
    }

    public static Reply ok(String body) {
      return raw("HTTP/1.1 200 OK\r\nContent-Length: " + body.length() + "\r\n\r\n" + body);
    }

    /** Never answer (the connection stays open until the test ends). */
    public static Reply silence() {
      return new Reply(new byte[0], false, 0, true);
    }

    public Reply thenClose() {
      return new Reply(bytes, true, delayMillis, silent, streamBytes);
    }

    public Reply after(long millis) {
      return new Reply(bytes, closeAfter, millis, silent, streamBytes);
    }
  }

  /** What one request looked like on the wire. */
  public record Recorded(int connection, String head, byte[] body) {
    public String requestLine() {
      return head.substring(0, head.indexOf("\r\n"));
    }

    /** Field lines exactly as received, in order (name case kept). */
    public List<String> fieldLines() {
      List<String> lines = new ArrayList<>(List.of(head.split("\r\n", -1)));
      lines.remove(0);
      lines.removeIf(String::isEmpty);
      return lines;
    }

    public String bodyText() {
      return new String(body, StandardCharsets.ISO_8859_1);
    }
  }

  private final ServerSocket server;
  private final ConcurrentLinkedQueue<Reply> replies = new ConcurrentLinkedQueue<>();
  private final BlockingQueue<Recorded> requests = new LinkedBlockingQueue<>();
  private final AtomicInteger connections = new AtomicInteger();
  private final java.util.concurrent.atomic.AtomicLong bodyBytesWritten = new java.util.concurrent.atomic.AtomicLong();
  private final List<Socket> open = new CopyOnWriteArrayList<>();
  private volatile Reply defaultReply = Reply.ok("ok");
  private final Thread acceptor;

  public RecordingOrigin() throws IOException {
    this(InetAddress.getLoopbackAddress());
  }

  /**
   * For a field: {@code @RegisterExtension final RecordingOrigin origin = RecordingOrigin.perTest();}
   * starts one per test and closes it after the test.
   */
  public static RecordingOrigin perTest() {
    try {
      return new RecordingOrigin();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Override
  public void afterEach(org.junit.jupiter.api.extension.ExtensionContext context) throws IOException {
    close();
  }

  /** On another loopback address (127.0.0.2, ...), for policy tests that deny one of them. */
  public RecordingOrigin(InetAddress bind) throws IOException {
    server = new ServerSocket();
    // Fixed buffers: autotuned loopback buffers (up to 32 MB here) would hide backpressure bugs.
    server.setReceiveBufferSize(128 * 1024);
    server.bind(new java.net.InetSocketAddress(bind, 0), 200);
    acceptor = new Thread(this::acceptLoop, "recording-origin");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  public int port() {
    return server.getLocalPort();
  }

  public String url(String path) {
    return "http://127.0.0.1:" + port() + path;
  }

  public RecordingOrigin enqueue(Reply reply) {
    replies.add(reply);
    return this;
  }

  public void setDefaultReply(Reply reply) {
    defaultReply = reply;
  }

  /** Bytes of streamed bodies the origin has managed to write so far (blocked by backpressure). */
  public long streamedBytesWritten() {
    return bodyBytesWritten.get();
  }

  public int connectionCount() {
    return connections.get();
  }

  public Recorded takeRequest() throws InterruptedException {
    Recorded r = requests.poll(5, TimeUnit.SECONDS);
    if (r == null) {
      throw new AssertionError("origin received no request within 5 s");
    }
    return r;
  }

  /** The next request if one arrives within {@code millis}, else null. */
  public Recorded pollRequest(long millis) throws InterruptedException {
    return requests.poll(millis, TimeUnit.MILLISECONDS);
  }

  public int requestCount() {
    return requests.size();
  }

  private void acceptLoop() {
    while (!server.isClosed()) {
      try {
        Socket s = server.accept();
        int id = connections.incrementAndGet();
        open.add(s);
        Thread t = new Thread(() -> serve(s, id), "origin-conn-" + id);
        t.setDaemon(true);
        t.start();
      } catch (IOException e) {
        return;
      }
    }
  }

  private void serve(Socket s, int id) {
    try (s) {
      s.setTcpNoDelay(true);
      s.setSendBufferSize(128 * 1024);
      InputStream in = s.getInputStream();
      OutputStream out = s.getOutputStream();
      while (true) {
        String head = readHead(in);
        if (head == null) {
          return;
        }
        byte[] body = readBody(in, head);
        requests.add(new Recorded(id, head, body));
        Reply reply = replies.poll();
        if (reply == null) {
          reply = defaultReply;
        }
        if (reply.silent()) {
          while (in.read() >= 0) {
            // hold the connection open until the peer or the test closes it
          }
          return;
        }
        if (reply.delayMillis() > 0) {
          Thread.sleep(reply.delayMillis());
        }
        out.write(reply.bytes());
        byte[] piece = new byte[65536];
        for (long left = reply.streamBytes(); left > 0; left -= piece.length) {
          int n = (int) Math.min(piece.length, left);
          out.write(piece, 0, n);
          bodyBytesWritten.addAndGet(n);
        }
        out.flush();
        if (reply.closeAfter()) {
          return;
        }
      }
    } catch (IOException | InterruptedException e) {
      // connection ended
    } finally {
      open.remove(s);
    }
  }

  private static String readHead(InputStream in) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    int c;
    while ((c = in.read()) >= 0) {
      b.write(c);
      byte[] a = b.toByteArray();
      int n = a.length;
      if (n >= 4 && a[n - 4] == '\r' && a[n - 3] == '\n' && a[n - 2] == '\r' && a[n - 1] == '\n') {
        return new String(a, StandardCharsets.ISO_8859_1);
      }
    }
    return null;
  }

  /** Reads the body as framed by the head, keeping chunk framing bytes as received. */
  private static byte[] readBody(InputStream in, String head) throws IOException {
    String lower = head.toLowerCase(Locale.ROOT);
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    if (lower.contains("\r\ntransfer-encoding: chunked")) {
      while (true) {
        String sizeLine = readLine(in, b);
        int semi = sizeLine.indexOf(';');
        int size = Integer.parseInt((semi < 0 ? sizeLine : sizeLine.substring(0, semi)).trim(), 16);
        if (size == 0) {
          while (!readLine(in, b).isEmpty()) {
            // trailer lines
          }
          return b.toByteArray();
        }
        b.write(in.readNBytes(size + 2));
      }
    }
    int i = lower.indexOf("\r\ncontent-length:");
    if (i >= 0) {
      int end = lower.indexOf("\r\n", i + 2);
      long n = Long.parseLong(lower.substring(i + 17, end).trim());
      return in.readNBytes((int) n);
    }
    return new byte[0];
  }

  private static String readLine(InputStream in, ByteArrayOutputStream copy) throws IOException {
    StringBuilder sb = new StringBuilder();
    int c;
    while ((c = in.read()) >= 0) {
      copy.write(c);
      if (c == '\n') {
        return sb.toString().replace("\r", "");
      }
      sb.append((char) c);
    }
    throw new IOException("eof in chunked body");
  }

  @Override
  public void close() throws IOException {
    server.close();
    for (Socket s : open) {
      s.close();
    }
  }
}
