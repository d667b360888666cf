package io.hopwise.http;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;

/**
 * An immutable, ordered list of field lines. Order, name case and repeated lines are kept exactly,
 * because a proxy must forward end-to-end fields as it received them.
 */
public final class HttpFields implements Iterable<HttpField> {
  public static final HttpFields EMPTY = new HttpFields(new HttpField[0]);

  /** The lines are fields[0, size): a builder's array is taken over as it is, spare room and all. */
  private final HttpField[] fields;
  private final int size;
  /**
   * Bit {@code id} is set when a line with that {@link FieldNames} id is present: most lookups are
   * for fields a message does not have (Transfer-Encoding, Upgrade, TE...), answered by one test.
   */
  private final long present;

  /** Takes ownership of the array. */
  private HttpFields(HttpField[] fields) {
    this(fields, fields.length, presence(fields, fields.length));
  }

  private HttpFields(HttpField[] fields, int size, long present) {
    this.fields = fields;
    this.size = size;
    this.present = present;
  }

  private static long presence(HttpField[] fields, int size) {
    long mask = 0;
    for (int i = 0; i < size; i++) {
      mask |= bit(fields[i]);
    }
    return mask;
  }

  /** A line's bit in the presence mask, 0 if its name has no id. */
  private static long bit(HttpField f) {
    return f.id() == FieldNames.NONE ? 0 : 1L << f.id();
  }

  public static HttpFields of(List<HttpField> fields) {
    HttpField[] copy = fields.toArray(new HttpField[0]);
    for (HttpField f : copy) {
      if (f == null) {
        throw new NullPointerException("field");
      }
    }
    return new HttpFields(copy);
  }

  /** Convenience for tests and literals: name, value, name, value, ... */
  public static HttpFields of(String... namesAndValues) {
    if (namesAndValues.length % 2 != 0) {
      throw new IllegalArgumentException("names and values must come in pairs");
    }
    HttpField[] array = new HttpField[namesAndValues.length / 2];
    for (int i = 0; i < namesAndValues.length; i += 2) {
      array[i / 2] = new HttpField(namesAndValues[i], namesAndValues[i + 1]);
    }
    return new HttpFields(array);
  }

  /** A read-only view. Hot paths use {@link #size()} and {@link #field(int)} instead. */
  public List<HttpField> asList() {
    return Collections.unmodifiableList(Arrays.asList(fields).subList(0, size));
  }

  public int size() {
    return size;
  }

  public boolean isEmpty() {
    return size == 0;
  }

  /** The {@code i}th line. */
  public HttpField field(int i) {
    if (i >= size) {
      throw new IndexOutOfBoundsException(i);
    }
    return fields[i];
  }

  // Indexed loops, not for-each: these run several times per message, and an iterator is an
  // allocation the JIT does not always remove.

  public boolean contains(String name) {
    return indexOf(name) >= 0;
  }

  /** Whether a line with this {@link FieldNames} id is present: one bit test. */
  boolean has(int id) {
    return (present & (1L << id)) != 0;
  }

  /** The line with this {@link FieldNames} id when there is exactly one, else null. */
  HttpField single(int id) {
    if (!has(id)) {
      return null;
    }
    HttpField found = null;
    for (int i = 0; i < size; i++) {
      if (fields[i].id() == id) {
        if (found != null) {
          return null;
        }
        found = fields[i];
      }
    }
    return found;
  }

  private int indexOf(String name) {
    return indexOf(name, FieldNames.id(name), 0);
  }

  /** The first line at or after {@code from} with this name (whose id is {@code id}), or -1. */
  private int indexOf(String name, int id, int from) {
    if (id != FieldNames.NONE) {
      if (!has(id)) {
        return -1;
      }
      for (int i = from; i < size; i++) {
        if (fields[i].id() == id) {
          return i;
        }
      }
      return -1;
    }
    for (int i = from; i < size; i++) {
      // A line with an id has a known name, which this unknown one cannot equal.
      if (fields[i].id() == FieldNames.NONE && fields[i].is(name)) {
        return i;
      }
    }
    return -1;
  }

  /** The first value of a field, or null. */
  public String get(String name) {
    int i = indexOf(name);
    return i < 0 ? null : fields[i].value();
  }

  /** Every line's value for a field, in order. */
  public List<String> getAll(String name) {
    int id = FieldNames.id(name);
    int i = indexOf(name, id, 0);
    if (i < 0) {
      return List.of();
    }
    List<String> values = new ArrayList<>(2);
    for (; i >= 0; i = indexOf(name, id, i + 1)) {
      values.add(fields[i].value());
    }
    return values;
  }

  /** How many lines the field has. */
  public int count(String name) {
    int id = FieldNames.id(name);
    int count = 0;
    for (int i = indexOf(name, id, 0); i >= 0; i = indexOf(name, id, i + 1)) {
      count++;
    }
    return count;
  }

  /**
   * The comma-separated list elements of every line of a field, trimmed, lower-cased, empty
   * elements dropped (RFC 9110 5.6.1: recipients accept empty list elements).
   */
  public List<String> tokens(String name) {
    int id = FieldNames.id(name);
    int i = indexOf(name, id, 0);
    if (i < 0) {
      return List.of();
    }
    List<String> tokens = new ArrayList<>(2);
    for (; i >= 0; i = indexOf(name, id, i + 1)) {
      fields[i].forEachElement((b, start, end) -> {
        tokens.add(new String(b, start, end - start, StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT));
        return false;
      });
    }
    return tokens;
  }

  /** Whether any line of the field lists {@code token} (case-insensitive), without copying values. */
  public boolean hasToken(String name, String token) {
    int id = FieldNames.id(name);
    for (int i = indexOf(name, id, 0); i >= 0; i = indexOf(name, id, i + 1)) {
      if (fields[i].hasElement(token)) {
        return true;
      }
    }
    return false;
  }

  public Builder toBuilder() {
    Builder b = new Builder(size + 4);
    System.arraycopy(fields, 0, b.fields, 0, size);
    b.size = size;
    b.present = present;
    return b;
  }

  public static Builder builder() {
    return new Builder(10);
  }

  /** A builder with room for {@code capacity} lines before it grows. */
  public static Builder builder(int capacity) {
    return new Builder(capacity);
  }

  @Override
  public Iterator<HttpField> iterator() {
    return asList().iterator();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof HttpFields other && Arrays.equals(fields, 0, size, other.fields, 0, other.size);
  }

  @Override
  public int hashCode() {
    return asList().hashCode();
  }

  @Override
  public String toString() {
    return asList().toString();
  }

  /** Mutable companion used while building a message; {@link #build()} freezes it. */
  public static final class Builder {
    private HttpField[] fields;
    private int size;
    /** The presence mask of fields[0, size), kept as lines are added (recomputed on removal). */
    private long present;
    /** The array went to a built HttpFields: copy it before the next change. */
    private boolean shared;

    private Builder(int capacity) {
      fields = new HttpField[Math.max(capacity, 4)];
    }

    public Builder add(String name, String value) {
      return add(new HttpField(name, value));
    }

    /** A line whose name's id the caller knows already. */
    Builder add(String name, String value, int id) {
      return add(new HttpField(name, value, id));
    }

    public Builder add(HttpField field) {
      if (size == fields.length || shared) {
        shared = false; // a copy of our own from here on
        fields = Arrays.copyOf(fields, Math.max(4, size * 2));
      }
      fields[size++] = field;
      present |= bit(field);
      return this;
    }

    public Builder removeAll(String name) {
      if (shared) {
        fields = fields.clone();
        shared = false;
      }
      int kept = 0;
      for (int i = 0; i < size; i++) {
        if (!fields[i].is(name)) {
          fields[kept++] = fields[i];
        }
      }
      Arrays.fill(fields, kept, size, null);
      size = kept;
      present = presence(fields, size);
      return this;
    }

    /** Replaces the first line of a field in place (keeping its position), or appends it. */
    public Builder set(String name, String value) {
      for (int i = 0; i < size; i++) {
        if (fields[i].is(name)) {
          HttpField replacement = new HttpField(fields[i].name(), value);
          removeAll(name);
          insert(Math.min(i, size), replacement);
          return this;
        }
      }
      return add(new HttpField(name, value));
    }

    /** Puts a field first (Host conventionally leads the header section). */
    public Builder setFirst(String name, String value) {
      removeAll(name);
      insert(0, new HttpField(name, value));
      return this;
    }

    private void insert(int at, HttpField field) {
      add(field); // grows if needed
      System.arraycopy(fields, at, fields, at + 1, size - 1 - at);
      fields[at] = field;
    }

    /** The last line added (there must be one). */
    HttpField last() {
      return fields[size - 1];
    }

    public boolean contains(String name) {
      for (int i = 0; i < size; i++) {
        if (fields[i].is(name)) {
          return true;
        }
      }
      return false;
    }

    /** The lines so far. The array is handed over, not copied (copied on a later change). */
    public HttpFields build() {
      shared = true;
      return new HttpFields(fields, size, present);
    }
  }
}
