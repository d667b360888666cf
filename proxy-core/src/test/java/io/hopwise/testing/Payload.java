package io.hopwise.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Deterministic pseudo-random bytes for integrity tests: {@code n} bytes from a seed, generated
 * while writing (nothing of size {@code n} is held), and their SHA-256 for comparison.
 */
public final class Payload {
  private static final int BLOCK = 64 * 1024;

  private Payload() {}

  /** Writes the first {@code n} bytes of the seed's stream. */
  public static void write(OutputStream out, long n, long seed) throws IOException {
    generate(n, seed, (b, len) -> out.write(b, 0, len));
    out.flush();
  }

  /** The SHA-256 of the first {@code n} bytes of the seed's stream, in hex. */
  public static String digest(long n, long seed) {
    Sha256 d = new Sha256();
    try {
      generate(n, seed, (b, len) -> d.update(b, 0, len));
    } catch (IOException e) {
      throw new IllegalStateException(e); // a digest does no I/O
    }
    return d.hex();
  }

  private interface Blocks {
    void take(byte[] block, int len) throws IOException;
  }

  /** The stream's first {@code n} bytes, a block at a time. */
  private static void generate(long n, long seed, Blocks blocks) throws IOException {
    Generator g = new Generator(seed);
    byte[] block = new byte[BLOCK];
    for (long left = n; left > 0; ) {
      int len = (int) Math.min(BLOCK, left);
      g.fill(block, len);
      blocks.take(block, len);
      left -= len;
    }
  }

  /** A running SHA-256 with a byte count. */
  public static final class Sha256 {
    private final MessageDigest md;
    private long count;

    public Sha256() {
      try {
        md = MessageDigest.getInstance("SHA-256");
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException(e);
      }
    }

    public void update(byte[] b, int off, int len) {
      md.update(b, off, len);
      count += len;
    }

    public long count() {
      return count;
    }

    public String hex() {
      return HexFormat.of().formatHex(md.digest());
    }
  }

  /** xorshift64*: fast, and every seed gives a different stream. */
  private static final class Generator {
    private long x;

    Generator(long seed) {
      x = seed * 0x9E3779B97F4A7C15L + 1;
    }

    void fill(byte[] b, int len) {
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
  }
}
