package io.hopwise.http;

import java.util.Objects;

/** One field line as received: the name keeps its case, the value has its outer whitespace trimmed. */
public record HttpField(String name, String value) {
  public HttpField {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(value, "value");
  }

  /** Field names are case-insensitive (RFC 9110 5.1). */
  public boolean is(String otherName) {
    return name.equalsIgnoreCase(otherName);
  }

  @Override
  public String toString() {
    return name + ": " + value;
  }
}
