package io.hopwise.app.log;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class JsonLineTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private static JsonNode parse(JsonLine line) throws Exception {
    String text = new String(line.toBytes(), StandardCharsets.UTF_8);
    assertEquals(text.length() - 1, text.indexOf('\n'), "exactly one line: " + text);
    return MAPPER.readTree(text);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "plain", "quote \" inside", "back\\slash", "new\nline", "cr\rtab\t",
      "nul \u0000 bell \u0007 esc \u001b del \u007f", "caf\u00e9", "emoji \ud83d\ude00", "</script>"})
  void stringsRoundTrip(String value) throws Exception {
    assertEquals(value, parse(new JsonLine().string("v", value)).get("v").asText());
  }

  @Test
  void loneSurrogatesAreEscapedSoTheLineStaysValid() throws Exception {
    String text = new String(new JsonLine().string("v", "a\ud800b\udc00").toBytes(), StandardCharsets.UTF_8);
    assertEquals("{\"v\":\"a\\ud800b\\udc00\"}\n", text);
  }

  @Test
  void randomStringsRoundTrip() throws Exception {
    long seed = System.nanoTime();
    SplittableRandom random = new SplittableRandom(seed);
    for (int i = 0; i < 2000; i++) {
      StringBuilder sb = new StringBuilder();
      int n = random.nextInt(20);
      for (int j = 0; j < n; j++) {
        // Mostly ASCII incl. controls, some Latin-1 and BMP; no surrogates (covered above).
        int c = random.nextInt(10) < 8 ? random.nextInt(0x80) : random.nextInt(0x100, 0xd800);
        sb.append((char) c);
      }
      String value = sb.toString();
      assertEquals(value, parse(new JsonLine().string("k", value)).get("k").asText(), "seed " + seed);
    }
  }

  @ParameterizedTest
  @CsvSource({"12500000, 12.5", "999, 0.0", "1234567, 1.234", "0, 0.0", "60000000000, 60000.0"})
  void millisFromNanos(long nanos, double expected) throws Exception {
    assertEquals(expected, parse(new JsonLine().millis("d", nanos)).get("d").asDouble());
  }

  @ParameterizedTest
  @ValueSource(longs = {0L, 1_764_140_425_123L, 1_764_140_425_007L, 1_764_140_425_999L, 1_764_140_426_000L})
  void timeIsIso8601UtcWithMillis(long epochMillis) throws Exception {
    String t = parse(new JsonLine().time("time", epochMillis)).get("time").asText();
    assertEquals(Instant.ofEpochMilli(epochMillis), Instant.parse(t), t);
    assertEquals(24, t.length(), t);
  }

  @Test
  void numbersBooleansAndArrays() throws Exception {
    JsonNode n = parse(new JsonLine().number("a", -5).bool("b", true).strings("c", List.of("x", "y\"z"))
        .strings("d", List.of()).string("e", null));
    assertEquals(-5, n.get("a").asLong());
    assertEquals(true, n.get("b").asBoolean());
    assertEquals("[\"x\",\"y\\\"z\"]", n.get("c").toString());
    assertEquals(0, n.get("d").size());
    assertEquals(true, n.get("e").isNull());
  }
}
