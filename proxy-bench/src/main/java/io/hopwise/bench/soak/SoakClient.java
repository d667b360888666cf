package io.hopwise.bench.soak;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Locale;

/**
 * Runs one transfer through the proxy as a client would, reading at the transfer's speed, and
 * judges it: complete with the right digest, visibly aborted (a reset, or an EOF before the
 * framing's end), or silently wrong (ended "complete" with other bytes).
 */
final class SoakClient {
  /** How a transfer ended, as the client saw it. */
  enum Verdict {
    COMPLETE, ABORTED_EXPECTED, ABORTED_UNEXPECTED, SILENT_TRUNCATION, CORRUPTED, HUNG, ERROR_STATUS
  }

  record Outcome(Transfer transfer, Verdict verdict, long bytes, String detail) {}

  private enum Ending { COMPLETE, EOF_EARLY, RESET, TIMEOUT }

  private final int proxyPort;
  private final int originPort;

  SoakClient(int proxyPort, int originPort) {
    this.proxyPort = proxyPort;
    this.originPort = originPort;
  }

  Outcome run(Transfer t) {
    try (Socket s = new Socket()) {
      if (t.receiveBuffer() > 0) {
        s.setReceiveBufferSize(t.receiveBuffer());
      }
      s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), proxyPort), 10_000);
      s.setSoTimeout(60_000);
      OutputStream out = s.getOutputStream();
      InputStream in = new BufferedInputStream(s.getInputStream(), 64 * 1024);
      String origin = "127.0.0.1:" + originPort;
      String head;
      if (t.kind() == Transfer.Kind.TUNNEL) {
        send(out, "CONNECT " + origin + " HTTP/1.1\r\nHost: " + origin + "\r\n\r\n");
        head = SoakOrigin.readHead(in);
        if (head == null || !head.startsWith("HTTP/1.1 200")) {
          return new Outcome(t, Verdict.ERROR_STATUS, 0, firstLine(head));
        }
        send(out, "GET " + t.query() + " HTTP/1.1\r\nHost: " + origin + "\r\n\r\n");
        if (t.halfCloseAfterRequest()) {
          s.shutdownOutput();
        }
        head = null; // raw bytes from here
      } else {
        String upgrade = t.kind() == Transfer.Kind.WEBSOCKET
            ? "Connection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                + "Sec-WebSocket-Version: 13\r\n" : "Connection: close\r\n";
        send(out, "GET http://" + origin + t.query() + " " + t.clientVersion() + "\r\nHost: " + origin + "\r\n"
            + upgrade + "\r\n");
        if (t.halfCloseAfterRequest()) {
          s.shutdownOutput();
        }
        head = SoakOrigin.readHead(in);
        if (head == null) {
          return judge(t, Ending.EOF_EARLY, 0, null);
        }
        int status = Integer.parseInt(head.substring(9, 12));
        if (status != 200 && status != 101) {
          return new Outcome(t, Verdict.ERROR_STATUS, 0, firstLine(head));
        }
      }
      if (t.startPauseMillis() > 0) {
        Thread.sleep(t.startPauseMillis());
      }
      Reader r = new Reader(in, t);
      Ending ending = r.read(head);
      if (t.kind().raw() && !t.halfCloseAfterRequest()) {
        s.shutdownOutput(); // our end of the tunnel, once theirs has ended
      }
      return judge(t, ending, r.count, r.hex());
    } catch (IOException e) {
      return judge(t, Ending.RESET, 0, null);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Outcome(t, Verdict.HUNG, 0, "interrupted");
    }
  }

  private static Outcome judge(Transfer t, Ending ending, long bytes, String digest) {
    if (ending == Ending.TIMEOUT) {
      return new Outcome(t, Verdict.HUNG, bytes, "no byte for 60 s");
    }
    if (ending == Ending.COMPLETE) {
      if (t.resets()) {
        // The origin never sent the whole body, yet the client was told it had it all.
        return new Outcome(t, Verdict.SILENT_TRUNCATION, bytes, "origin reset at " + t.resetAt());
      }
      if (bytes != t.size()) {
        return new Outcome(t, Verdict.SILENT_TRUNCATION, bytes, "expected " + t.size());
      }
      return Payload.digest(t.seed(), bytes).equals(digest)
          ? new Outcome(t, Verdict.COMPLETE, bytes, "")
          : new Outcome(t, Verdict.CORRUPTED, bytes, "digest differs");
    }
    // Visibly incomplete: still, what did arrive must be the body's first bytes.
    if (digest != null && !Payload.digest(t.seed(), bytes).equals(digest)) {
      return new Outcome(t, Verdict.CORRUPTED, bytes, "aborted, and the bytes before the abort differ");
    }
    return new Outcome(t, t.resets() ? Verdict.ABORTED_EXPECTED : Verdict.ABORTED_UNEXPECTED, bytes, ending.name());
  }

  private static void send(OutputStream out, String text) throws IOException {
    out.write(text.getBytes(StandardCharsets.ISO_8859_1));
    out.flush();
  }

  private static String firstLine(String head) {
    return head == null ? "no response" : head.substring(0, head.indexOf('\r'));
  }

  /** De-frames and digests the body, reading in the transfer's steps and pauses. */
  private static final class Reader {
    private final InputStream in;
    private final Transfer t;
    private final MessageDigest md = Payload.sha256();
    private final byte[] buf = new byte[64 * 1024];
    private long count;
    private long sinceStep;

    Reader(InputStream in, Transfer t) {
      this.in = in;
      this.t = t;
    }

    Ending read(String head) throws InterruptedException {
      try {
        if (head == null || head.startsWith("HTTP/1.1 101")) {
          return copy(Long.MAX_VALUE) ? Ending.COMPLETE : Ending.EOF_EARLY;
        }
        String lower = head.toLowerCase(Locale.ROOT);
        if (lower.contains("\r\ntransfer-encoding: chunked")) {
          return chunked();
        }
        int i = lower.indexOf("\r\ncontent-length:");
        if (i >= 0) {
          long n = Long.parseLong(lower.substring(i + 17, lower.indexOf("\r\n", i + 2)).trim());
          return copy(n) ? Ending.COMPLETE : Ending.EOF_EARLY;
        }
        copy(Long.MAX_VALUE);
        return Ending.COMPLETE; // until close: an orderly EOF is its end
      } catch (SocketTimeoutException e) {
        return Ending.TIMEOUT;
      } catch (IOException e) {
        return Ending.RESET;
      }
    }

    private Ending chunked() throws IOException, InterruptedException {
      while (true) {
        String line = line();
        if (line == null) {
          return Ending.EOF_EARLY;
        }
        long n = Long.parseLong(line.split(";")[0].trim(), 16);
        if (n == 0) {
          String trailer;
          while ((trailer = line()) != null && !trailer.isEmpty()) {
            // trailers are not part of the digest
          }
          return trailer == null ? Ending.EOF_EARLY : Ending.COMPLETE;
        }
        if (!copy(n) || line() == null) {
          return Ending.EOF_EARLY;
        }
      }
    }

    /** Copies n bytes, or to EOF when n is unbounded; false if EOF came before n. */
    private boolean copy(long n) throws IOException, InterruptedException {
      for (long left = n; left > 0; ) {
        int r = in.read(buf, 0, (int) Math.min(buf.length, left));
        if (r < 0) {
          return n == Long.MAX_VALUE;
        }
        md.update(buf, 0, r);
        count += r;
        left -= r;
        sinceStep += r;
        if (sinceStep >= t.step()) {
          sinceStep = 0;
          Thread.sleep(t.pauseMillis());
        }
      }
      return true;
    }

    private String line() throws IOException {
      StringBuilder sb = new StringBuilder();
      int c;
      while ((c = in.read()) >= 0) {
        if (c == '\n') {
          return sb.toString().replace("\r", "");
        }
        sb.append((char) c);
      }
      return null;
    }

    String hex() {
      return HexFormat.of().formatHex(md.digest());
    }
  }
}
