package io.hopwise.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A raw loopback peer for integrity tests: for each connection it runs a script, typically "read
 * the request head, write a head and N bytes, then shut down output (FIN) at once, and close when
 * the other side does", or the same with a reset mid-body. {@link #finished} tells a test when
 * the peer has written everything, so a reader can stay paused until then.
 */
public final class ClosingPeer implements AutoCloseable {
  /** What the peer does on one accepted connection. */
  public interface Script {
    void run(Socket s, InputStream in, OutputStream out) throws IOException;
  }

  private final ServerSocket server;
  private final CountDownLatch finished = new CountDownLatch(1);

  public ClosingPeer(Script script) throws IOException {
    server = new ServerSocket();
    server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    Thread t = new Thread(() -> {
      try (Socket s = server.accept()) {
        s.setSoTimeout(20_000);
        script.run(s, s.getInputStream(), s.getOutputStream());
      } catch (IOException e) {
        // the test decides what it expected
      } finally {
        finished.countDown();
      }
    }, "closing-peer");
    t.setDaemon(true);
    t.start();
  }

  public int port() {
    return server.getLocalPort();
  }

  /** Waits (bounded) until the script has run to its end. */
  public boolean awaitFinished(long millis) throws InterruptedException {
    return finished.await(millis, TimeUnit.MILLISECONDS);
  }

  /** Reads a request or response head (up to the empty line). */
  public static String readHead(InputStream in) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    int c;
    while ((c = in.read()) >= 0) {
      b.write(c);
      if (b.size() >= 4 && b.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
        return b.toString(StandardCharsets.ISO_8859_1);
      }
    }
    throw new IOException("EOF before the end of a head");
  }

  /** Writes {@code head}, then {@code n} payload bytes (chunked if asked), then FIN at once; waits for the other side's close. */
  public static void writeThenFin(Socket s, String head, long n, long seed, boolean chunked) throws IOException {
    OutputStream out = s.getOutputStream();
    out.write(head.getBytes(StandardCharsets.ISO_8859_1));
    if (chunked) {
      Payload.write(new ChunkedOutput(out), n, seed);
      out.write("0\r\nX-Check: end\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1)); // with a trailer
    } else {
      Payload.write(out, n, seed);
    }
    out.flush();
    s.shutdownOutput();
    drainToEof(s.getInputStream());
  }

  /** Writes {@code head} and the first {@code n} payload bytes, then resets the connection. */
  public static void writeThenReset(Socket s, String head, long n, long seed) throws IOException {
    OutputStream out = s.getOutputStream();
    out.write(head.getBytes(StandardCharsets.ISO_8859_1));
    Payload.write(out, n, seed);
    out.flush();
    s.setSoLinger(true, 0);
    s.close();
  }

  /** Reads and discards until EOF (the other side closed); a reset ends it too. */
  public static long drainToEof(InputStream in) {
    byte[] buf = new byte[64 * 1024];
    long total = 0;
    try {
      int r;
      while ((r = in.read(buf)) >= 0) {
        total += r;
      }
    } catch (IOException e) {
      // reset: the other side is gone either way
    }
    return total;
  }

  /** Frames each write as one chunk. */
  private static final class ChunkedOutput extends OutputStream {
    private final OutputStream out;

    ChunkedOutput(OutputStream out) {
      this.out = out;
    }

    @Override
    public void write(int b) throws IOException {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      if (len > 0) {
        out.write((Integer.toHexString(len) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
        out.write(b, off, len);
        out.write("\r\n".getBytes(StandardCharsets.ISO_8859_1));
      }
    }
  }

  @Override
  public void close() throws IOException {
    server.close();
  }
}
