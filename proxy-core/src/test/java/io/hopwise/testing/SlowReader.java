package io.hopwise.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * A reader slower than loopback, as every real network is: it may wait before reading at all,
 * then reads in steps with a pause between them. It de-frames a response (or a tunnel's raw
 * stream), digests the body and says how the stream ended, so a test can tell a whole body from
 * a truncated one that merely looks complete.
 */
public final class SlowReader {
  /** How the body ended. */
  public enum Ending {
    /** The framing said the body is whole: the declared length, the last chunk, or (until-close) an orderly EOF. */
    COMPLETE,
    /** EOF before the declared length or the last chunk: visibly incomplete. */
    EOF_EARLY,
    /** The connection was reset (or failed) while reading: visibly incomplete. */
    RESET,
    /** Nothing more came within the socket timeout. */
    TIMEOUT
  }

  /** What a reader got: the head (null for a raw stream), the body's size and digest, its ending. */
  public record Received(String head, long bytes, String digest, Ending ending) {
    @Override
    public String toString() {
      return (head == null ? "raw" : head.substring(0, head.indexOf('\r'))) + " " + bytes + " bytes " + ending;
    }
  }

  private final InputStream in;
  private final int step;
  private final long pauseMillis;
  private long stepLeft;

  /**
   * @param step bytes read between pauses
   * @param pauseMillis the pause after each step
   */
  public SlowReader(InputStream in, int step, long pauseMillis) {
    this.in = new java.io.BufferedInputStream(in, 64 * 1024);
    this.step = step;
    this.pauseMillis = pauseMillis;
    this.stepLeft = step;
  }

  /** Reads one response: head, then the body as its framing says. */
  public Received response() throws IOException {
    String head;
    try {
      head = head();
    } catch (IOException e) {
      return new Received(null, 0, "", Ending.RESET);
    }
    if (head == null) {
      return new Received(null, 0, "", Ending.EOF_EARLY);
    }
    String lower = head.toLowerCase(Locale.ROOT);
    Payload.Sha256 digest = new Payload.Sha256();
    Ending ending;
    try {
      if (lower.contains("\r\ntransfer-encoding: chunked")) {
        ending = chunked(digest);
      } else {
        int i = lower.indexOf("\r\ncontent-length:");
        if (i >= 0) {
          long n = Long.parseLong(lower.substring(i + 17, lower.indexOf("\r\n", i + 2)).trim());
          ending = copy(digest, n) ? Ending.COMPLETE : Ending.EOF_EARLY;
        } else {
          copy(digest, Long.MAX_VALUE);
          ending = Ending.COMPLETE; // until close: an orderly EOF is the only end there is
        }
      }
    } catch (SocketTimeoutException e) {
      ending = Ending.TIMEOUT;
    } catch (IOException e) {
      ending = Ending.RESET;
    }
    return new Received(head, digest.count(), digest.hex(), ending);
  }

  /** Reads a raw stream (a tunnel) until EOF (COMPLETE) or a reset. */
  public Received stream() throws IOException {
    Payload.Sha256 digest = new Payload.Sha256();
    Ending ending;
    try {
      copy(digest, Long.MAX_VALUE);
      ending = Ending.COMPLETE;
    } catch (SocketTimeoutException e) {
      ending = Ending.TIMEOUT;
    } catch (IOException e) {
      ending = Ending.RESET;
    }
    return new Received(null, digest.count(), digest.hex(), ending);
  }

  private Ending chunked(Payload.Sha256 digest) throws IOException {
    while (true) {
      String size = line();
      if (size == null) {
        return Ending.EOF_EARLY;
      }
      long n = Long.parseLong(size.split(";")[0].trim(), 16);
      if (n == 0) {
        String t;
        while ((t = line()) != null && !t.isEmpty()) {
          // trailers: not digested
        }
        return t == null ? Ending.EOF_EARLY : Ending.COMPLETE;
      }
      if (!copy(digest, n)) {
        return Ending.EOF_EARLY;
      }
      String crlf = line();
      if (crlf == null) {
        return Ending.EOF_EARLY;
      }
    }
  }

  /** Copies {@code n} bytes (or to EOF); false when EOF came first. */
  private boolean copy(Payload.Sha256 digest, long n) throws IOException {
    byte[] buf = new byte[64 * 1024];
    long left = n;
    while (left > 0) {
      int r = in.read(buf, 0, (int) Math.min(buf.length, Math.min(left, stepLeft)));
      if (r < 0) {
        return n == Long.MAX_VALUE;
      }
      digest.update(buf, 0, r);
      left -= r;
      took(r);
    }
    return true;
  }

  private void took(int r) {
    stepLeft -= r;
    if (stepLeft <= 0) {
      stepLeft = step;
      if (pauseMillis > 0) {
        try {
          Thread.sleep(pauseMillis);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    }
  }

  private String head() throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    int c;
    while ((c = in.read()) >= 0) {
      b.write(c);
      int n = b.size();
      if (n >= 4 && b.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
        return b.toString(StandardCharsets.ISO_8859_1);
      }
    }
    return null;
  }

  /** A line without its CRLF, or null at EOF. */
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
}
