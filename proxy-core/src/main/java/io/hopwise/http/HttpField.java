package io.hopwise.http;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * One field line as received: the name keeps its case, the value has its outer whitespace trimmed.
 * Immutable. It also carries the name's {@link FieldNames} id, found once here rather than on
 * every lookup.
 *
 * <p>A parsed line keeps its value as a range of the bytes it was parsed from, and makes the
 * string only if something reads it: a proxy reads a handful of values and forwards the rest, so
 * those are copied byte for byte into the next head ({@link #copyValueTo}) and never become strings.
 * The parser hands over bytes that nothing writes to again.
 */
public final class HttpField {
  private final String name;
  private final int id;
  private final byte[] source;
  private final int valueStart;
  private final int valueLength;
  /** The value when it was given as a string (final: safe however the line is shared), else null. */
  private final String given;
  /** Made from {@code source} on first read; a race makes two equal strings, which is harmless. */
  private String made;

  public HttpField(String name, String value) {
    this(Objects.requireNonNull(name, "name"), value, FieldNames.id(name));
  }

  HttpField(String name, String value, int id) {
    this.name = name;
    this.given = Objects.requireNonNull(value, "value");
    this.id = id;
    this.source = null;
    this.valueStart = 0;
    this.valueLength = value.length();
  }

  /** For the parser: the value is source[start, start + length), Latin-1. */
  HttpField(String name, int id, byte[] source, int start, int length) {
    this.name = name;
    this.id = id;
    this.source = source;
    this.valueStart = start;
    this.valueLength = length;
    this.given = null;
  }

  public String name() {
    return name;
  }

  public String value() {
    if (given != null) {
      return given;
    }
    String v = made;
    if (v == null) {
      v = new String(source, valueStart, valueLength, StandardCharsets.ISO_8859_1);
      made = v;
    }
    return v;
  }

  /** The value's length in bytes on the wire (Latin-1, one byte per char). */
  public int valueLength() {
    return valueLength;
  }

  /**
   * Writes the value's bytes into {@code into} at {@code at}, which has room for
   * {@link #valueLength()} of them. A char Latin-1 cannot hold becomes '?', as String.getBytes does.
   */
  public void copyValueTo(byte[] into, int at) {
    if (source != null) {
      System.arraycopy(source, valueStart, into, at, valueLength);
      return;
    }
    String v = given;
    for (int i = 0; i < valueLength; i++) {
      char c = v.charAt(i);
      into[at + i] = c <= 0xFF ? (byte) c : (byte) '?';
    }
  }

  /**
   * The value as a decimal number when it is 1 to 18 ASCII digits and nothing else (leading zeros
   * allowed), else -1: the usual Content-Length, read without making a string.
   */
  long plainDecimal() {
    if (valueLength < 1 || valueLength > MAX_PLAIN_DIGITS) {
      return -1;
    }
    long n = 0;
    for (int i = 0; i < valueLength; i++) {
      int c = source != null ? source[valueStart + i] : given.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      n = n * 10 + (c - '0');
    }
    return n;
  }

  /** 18 digits always fit in a long (Long.MAX_VALUE has 19). */
  static final int MAX_PLAIN_DIGITS = 18;

  /**
   * Visits each element of the value read as a list (RFC 9110 5.6.1), in the value's bytes: a
   * received value in place, without making it a string; a given one in its Latin-1 bytes, as
   * {@link #copyValueTo} would send it.
   *
   * @return true if the visitor stopped early
   */
  boolean forEachElement(ListElements.Visitor visitor) {
    if (source != null) {
      return ListElements.forEach(source, valueStart, valueStart + valueLength, visitor);
    }
    byte[] b = given.getBytes(StandardCharsets.ISO_8859_1);
    return ListElements.forEach(b, 0, b.length, visitor);
  }

  /** Whether the value, read as a list, has an element equal to {@code token} ignoring case. */
  boolean hasElement(String token) {
    return forEachElement((b, a, e) -> e - a == token.length() && ListElements.equalsIgnoreCase(b, a, token));
  }

  /** The bytes a received value is read from in place, or null for a value given as a string. */
  byte[] source() {
    return source;
  }

  /** Where the value starts in {@link #source()}. */
  int valueStart() {
    return valueStart;
  }

  /** Whether this is a Content-Length line: an id comparison, for the head writer's every line. */
  public boolean isContentLength() {
    return id == FieldNames.CONTENT_LENGTH;
  }

  /** The name's {@link FieldNames} id, or {@link FieldNames#NONE}. */
  int id() {
    return id;
  }

  /** Field names are case-insensitive (RFC 9110 5.1). */
  public boolean is(String otherName) {
    return name == otherName || name.equalsIgnoreCase(otherName);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof HttpField other && name.equals(other.name) && value().equals(other.value());
  }

  @Override
  public int hashCode() {
    return 31 * name.hashCode() + value().hashCode();
  }

  @Override
  public String toString() {
    return name + ": " + value();
  }
}
