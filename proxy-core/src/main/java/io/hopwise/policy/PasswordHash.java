package io.hopwise.policy;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * One stored password: PBKDF2 with HMAC-SHA256 (RFC 8018 5.2), as the JDK provides it, written as
 * {@code pbkdf2-sha256:<iterations>:<salt-base64>:<hash-base64>} (RFC 4648 4, padded). No secret
 * appears in {@link #toString()}.
 */
final class PasswordHash {
  static final String SCHEME = "pbkdf2-sha256";
  /** OWASP Password Storage Cheat Sheet (2023) for PBKDF2-HMAC-SHA256. */
  static final int DEFAULT_ITERATIONS = 600_000;
  /** Bounds for files: below is too weak to be a mistake worth accepting, above is a DoS. */
  static final int MIN_ITERATIONS = 1_000;
  static final int MAX_ITERATIONS = 10_000_000;
  /** RFC 8018 4.1: at least 64 bits of salt; we write 128. */
  static final int MIN_SALT_BYTES = 8;
  static final int SALT_BYTES = 16;
  static final int HASH_BYTES = 32;

  private final int iterations;
  private final byte[] salt;
  private final byte[] hash;

  private PasswordHash(int iterations, byte[] salt, byte[] hash) {
    this.iterations = iterations;
    this.salt = salt;
    this.hash = hash;
  }

  static PasswordHash create(char[] password, SecureRandom random, int iterations) {
    if (iterations < MIN_ITERATIONS || iterations > MAX_ITERATIONS) {
      throw new IllegalArgumentException("iterations must be " + MIN_ITERATIONS + "-" + MAX_ITERATIONS);
    }
    byte[] salt = new byte[SALT_BYTES];
    random.nextBytes(salt);
    return new PasswordHash(iterations, salt, derive(password, salt, iterations));
  }

  /** Costs what a real entry costs and matches nothing that matters: timing cover for unknown users. */
  static PasswordHash decoy(int iterations) {
    return new PasswordHash(iterations, new byte[SALT_BYTES], new byte[HASH_BYTES]);
  }

  /**
   * Parses the four fields after the user name; the message names the field at fault and never
   * echoes its content (a misplaced plain-text password must not end up in a log).
   */
  static PasswordHash parse(String scheme, String iterations, String salt, String hash) {
    if (!scheme.equals(SCHEME)) {
      throw new IllegalArgumentException("unknown hash scheme, expected " + SCHEME);
    }
    int n;
    try {
      n = Integer.parseInt(iterations);
    } catch (NumberFormatException e) {
      n = -1;
    }
    if (n < MIN_ITERATIONS || n > MAX_ITERATIONS || !IpAddress.allDigits(iterations)) {
      throw new IllegalArgumentException("iterations must be a number from " + MIN_ITERATIONS + " to " + MAX_ITERATIONS);
    }
    byte[] s = decode(salt, "salt");
    if (s.length < MIN_SALT_BYTES) {
      throw new IllegalArgumentException("salt must be at least " + MIN_SALT_BYTES + " bytes");
    }
    byte[] h = decode(hash, "hash");
    if (h.length != HASH_BYTES) {
      throw new IllegalArgumentException("hash must be " + HASH_BYTES + " bytes (SHA-256)");
    }
    return new PasswordHash(n, s, h);
  }

  /** Constant-time in the hash comparison (MessageDigest.isEqual), so timing reveals no prefix. */
  boolean matches(char[] password) {
    return MessageDigest.isEqual(hash, derive(password, salt, iterations));
  }

  int iterations() {
    return iterations;
  }

  String format() {
    Base64.Encoder b64 = Base64.getEncoder();
    return SCHEME + ":" + iterations + ":" + b64.encodeToString(salt) + ":" + b64.encodeToString(hash);
  }

  /** The derived key; the JDK encodes the password chars as UTF-8, as RFC 7617 2.1 suggests. */
  static byte[] derive(char[] password, byte[] salt, int iterations) {
    PBEKeySpec spec = new PBEKeySpec(password, salt, iterations, HASH_BYTES * 8);
    try {
      return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("PBKDF2WithHmacSHA256 is part of every Java 17 runtime", e);
    } finally {
      spec.clearPassword();
    }
  }

  private static byte[] decode(String text, String what) {
    try {
      if (text.isEmpty() || text.length() % 4 != 0) {
        throw new IllegalArgumentException();
      }
      return Base64.getDecoder().decode(text);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(what + " is not valid padded base64");
    }
  }

  @Override
  public String toString() {
    return "PasswordHash[" + SCHEME + ", iterations=" + iterations + "]";
  }
}
