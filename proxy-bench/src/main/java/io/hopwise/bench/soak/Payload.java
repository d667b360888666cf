package io.hopwise.bench.soak;

import java.io.IOException;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** A transfer's bytes: a deterministic stream per seed, written and digested without holding it. */
final class Payload {
  static final int BLOCK = 16 * 1024;
  private long x;

  Payload(long seed) {
    x = seed * 0x9E3779B97F4A7C15L + 1;
  }

  /** Fills {@code len} bytes (a multiple of 8 except for the last block) with the next bytes. */
  void next(byte[] b, int len) {
    for (int i = 0; i < len; i += 8) {
      x ^= x >>> 12;
      x ^= x << 25;
      x ^= x >>> 27;
      long v = x * 0x2545F4914F6CDD1DL;
      for (int j = 0; j < 8 && i + j < len; j++) {
        b[i + j] = (byte) (v >>> (8 * j));
      }
    }
  }

  /** The SHA-256 of the stream's first {@code n} bytes. */
  static String digest(long seed, long n) {
    MessageDigest md = sha256();
    Payload p = new Payload(seed);
    byte[] b = new byte[BLOCK];
    for (long left = n; left > 0; ) {
      int len = (int) Math.min(BLOCK, left);
      p.next(b, len);
      md.update(b, 0, len);
      left -= len;
    }
    return HexFormat.of().formatHex(md.digest());
  }

  /** Writes the first {@code n} bytes in blocks, each passed through {@code frame}. */
  static void write(long seed, long n, OutputStream out, boolean chunked) throws IOException {
    Payload p = new Payload(seed);
    byte[] b = new byte[BLOCK];
    for (long left = n; left > 0; ) {
      int len = (int) Math.min(BLOCK, left);
      p.next(b, len);
      if (chunked) {
        out.write((Integer.toHexString(len) + "\r\n").getBytes());
      }
      out.write(b, 0, len);
      if (chunked) {
        out.write('\r');
        out.write('\n');
      }
      left -= len;
    }
  }

  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
