package io.hopwise.http;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;

/**
 * An immutable, ordered list of field lines. Order, name case and repeated lines are kept exactly,
 * because a proxy must forward end-to-end fields as it received them.
 */
public final class HttpFields implements Iterable<HttpField> {
  public static final HttpFields EMPTY = new HttpFields(List.of());

  private final List<HttpField> fields;

  private HttpFields(List<HttpField> fields) {
    this.fields = fields;
  }

  public static HttpFields of(List<HttpField> fields) {
    return new HttpFields(List.copyOf(fields));
  }

  /** Convenience for tests and literals: name, value, name, value, ... */
  public static HttpFields of(String... namesAndValues) {
    if (namesAndValues.length % 2 != 0) {
      throw new IllegalArgumentException("names and values must come in pairs");
    }
    List<HttpField> list = new ArrayList<>(namesAndValues.length / 2);
    for (int i = 0; i < namesAndValues.length; i += 2) {
      list.add(new HttpField(namesAndValues[i], namesAndValues[i + 1]));
    }
    return new HttpFields(Collections.unmodifiableList(list));
  }

  public List<HttpField> asList() {
    return fields;
  }

  public int size() {
    return fields.size();
  }

  public boolean isEmpty() {
    return fields.isEmpty();
  }

  // Indexed loops, not for-each: these run several times per message, and an iterator is an
  // allocation the JIT does not always remove.

  public boolean contains(String name) {
    return indexOf(name) >= 0;
  }

  private int indexOf(String name) {
    for (int i = 0, n = fields.size(); i < n; i++) {
      if (fields.get(i).is(name)) {
        return i;
      }
    }
    return -1;
  }

  /** The first value of a field, or null. */
  public String get(String name) {
    int i = indexOf(name);
    return i < 0 ? null : fields.get(i).value();
  }

  /** Every line's value for a field, in order. */
  public List<String> getAll(String name) {
    int first = indexOf(name);
    if (first < 0) {
      return List.of();
    }
    List<String> values = new ArrayList<>(2);
    for (int i = first, n = fields.size(); i < n; i++) {
      HttpField f = fields.get(i);
      if (f.is(name)) {
        values.add(f.value());
      }
    }
    return values;
  }

  /** How many lines the field has. */
  public int count(String name) {
    int count = 0;
    for (int i = 0, n = fields.size(); i < n; i++) {
      if (fields.get(i).is(name)) {
        count++;
      }
    }
    return count;
  }

  /**
   * The comma-separated list elements of every line of a field, trimmed, lower-cased, empty
   * elements dropped (RFC 9110 5.6.1: recipients accept empty list elements).
   */
  public List<String> tokens(String name) {
    List<String> tokens = new ArrayList<>(2);
    for (int i = 0, n = fields.size(); i < n; i++) {
      HttpField f = fields.get(i);
      if (f.is(name)) {
        addTokens(f.value(), tokens);
      }
    }
    return tokens;
  }

  /** Splits one list value on commas, trimmed, lower-cased, empty elements dropped (hot path). */
  static void addTokens(String value, List<String> into) {
    forEachElement(value, (a, b) -> {
      into.add(value.substring(a, b).toLowerCase(Locale.ROOT));
      return false;
    });
  }

  /** Whether any line of the field lists {@code token} (case-insensitive), without copying values. */
  public boolean hasToken(String name, String token) {
    for (int i = 0, n = fields.size(); i < n; i++) {
      HttpField f = fields.get(i);
      String value = f.value();
      if (f.is(name) && forEachElement(value, (a, b) ->
          b - a == token.length() && value.regionMatches(true, a, token, 0, token.length()))) {
        return true;
      }
    }
    return false;
  }

  /** Visits [start, end) of each non-empty element of a list (RFC 9110 5.6.1), OWS trimmed. */
  private interface ElementVisitor {
    /** @return true to stop */
    boolean visit(int start, int end);
  }

  /** @return true if the visitor stopped early */
  private static boolean forEachElement(String value, ElementVisitor visitor) {
    int n = value.length();
    int start = 0;
    while (true) {
      int comma = value.indexOf(',', start);
      int a = start;
      int b = comma < 0 ? n : comma;
      while (a < b && (value.charAt(a) == ' ' || value.charAt(a) == '\t')) a++;
      while (b > a && (value.charAt(b - 1) == ' ' || value.charAt(b - 1) == '\t')) b--;
      if (a < b && visitor.visit(a, b)) {
        return true;
      }
      if (comma < 0) {
        return false;
      }
      start = comma + 1;
    }
  }

  public Builder toBuilder() {
    Builder b = new Builder(fields.size() + 4);
    b.fields.addAll(fields);
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
    return fields.iterator();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof HttpFields other && fields.equals(other.fields);
  }

  @Override
  public int hashCode() {
    return fields.hashCode();
  }

  @Override
  public String toString() {
    return fields.toString();
  }

  /** Mutable companion used while building a message; {@link #build()} freezes it. */
  public static final class Builder {
    private final List<HttpField> fields;

    private Builder(int capacity) {
      fields = new ArrayList<>(capacity);
    }

    public Builder add(String name, String value) {
      fields.add(new HttpField(name, value));
      return this;
    }

    public Builder add(HttpField field) {
      fields.add(field);
      return this;
    }

    public Builder removeAll(String name) {
      fields.removeIf(f -> f.is(name));
      return this;
    }

    /** Replaces the first line of a field in place (keeping its position), or appends it. */
    public Builder set(String name, String value) {
      for (int i = 0; i < fields.size(); i++) {
        if (fields.get(i).is(name)) {
          fields.set(i, new HttpField(fields.get(i).name(), value));
          for (int j = fields.size() - 1; j > i; j--) {
            if (fields.get(j).is(name)) {
              fields.remove(j);
            }
          }
          return this;
        }
      }
      fields.add(new HttpField(name, value));
      return this;
    }

    /** Puts a field first (Host conventionally leads the header section). */
    public Builder setFirst(String name, String value) {
      removeAll(name);
      fields.add(0, new HttpField(name, value));
      return this;
    }

    public boolean contains(String name) {
      for (HttpField f : fields) {
        if (f.is(name)) {
          return true;
        }
      }
      return false;
    }

    public HttpFields build() {
      return new HttpFields(List.copyOf(fields));
    }
  }
}
