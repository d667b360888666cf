package io.hopwise.app.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import java.io.IOException;
import java.util.function.Function;

/**
 * Binds a config value written as one scalar (a duration, an address, an origin URL) through a
 * parse function whose IllegalArgumentException message is already fit for the user. The message
 * travels in a {@link BadValue}, to which Jackson adds the key path on the way out.
 */
final class ValueDeserializer<T> extends StdScalarDeserializer<T> {
  private final Function<String, T> parse;

  ValueDeserializer(Class<T> type, Function<String, T> parse) {
    super(type);
    this.parse = parse;
  }

  @Override
  public T deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
    if (!p.currentToken().isScalarValue()) {
      throw new BadValue(p, "expected a single value, got a " + (p.currentToken() == JsonToken.START_ARRAY ? "list" : "mapping"));
    }
    try {
      return parse.apply(p.getText());
    } catch (IllegalArgumentException e) {
      throw new BadValue(p, e.getMessage());
    }
  }

  /** A value the user wrote wrong; the message is meant to be shown as is, after the key path. */
  static final class BadValue extends JsonMappingException {
    BadValue(JsonParser p, String message) {
      super(p, message);
    }
  }
}
