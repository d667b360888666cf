package io.hopwise.app.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import io.hopwise.policy.PortRanges;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Binds a list of ports and ranges ({@code [443, 1024-65535]}), or one scalar with commas (as an
 * environment variable gives it), so that a bad element is reported under its own key.
 */
final class PortRangesDeserializer extends StdDeserializer<PortRanges> {
  PortRangesDeserializer() {
    super(PortRanges.class);
  }

  @Override
  public PortRanges deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
    List<Object> items = new ArrayList<>();
    if (p.currentToken() == JsonToken.START_ARRAY) {
      while (p.nextToken() != JsonToken.END_ARRAY) {
        if (!p.currentToken().isScalarValue()) {
          throw new ValueDeserializer.BadValue(p, "expected ports and ranges like 1024-65535, got a nested value");
        }
        items.add(p.getText());
      }
    } else if (p.currentToken().isScalarValue()) {
      items.addAll(List.of(p.getText().split(",")));
    } else {
      throw new ValueDeserializer.BadValue(p, "expected a list of ports and ranges like [443, 1024-65535]");
    }
    try {
      return PortRanges.of(items);
    } catch (IllegalArgumentException e) {
      throw new ValueDeserializer.BadValue(p, e.getMessage());
    }
  }
}
