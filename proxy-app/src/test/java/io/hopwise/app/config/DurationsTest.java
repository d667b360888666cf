package io.hopwise.app.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DurationsTest {
  @ParameterizedTest(name = "{0}")
  @CsvSource({
      "500ms, PT0.5S",
      "0ms,   PT0S",
      "10s,   PT10S",
      "2m,    PT2M",
      "1h,    PT1H",
      "90s,   PT1M30S",
      "999999999h, PT999999999H",
  })
  void parses(String text, String iso) {
    assertEquals(Duration.parse(iso), Durations.parse(text));
  }

  @ParameterizedTest(name = "''{0}''")
  @ValueSource(strings = {
      "", "ten", "10", "10 s", " 10s", "10S", "1.5s", "-1s", "10sec", "1d", "PT10S", "1000000000s",
  })
  void rejects(String text) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Durations.parse(text));
    assertEquals("invalid duration '" + text + "' (use e.g. 500ms, 10s, 2m)", e.getMessage());
  }
}
