package io.hopwise.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Ports and port ranges from config values (issue 26: single ports only took a 64,512-element list). */
class PortRangesTest {
  static Stream<Arguments> parsed() {
    return Stream.of(
        Arguments.of("single ports, as integers", List.of(443, 8443), "443, 8443"),
        Arguments.of("a range, as a string", List.of("1024-65535"), "1024-65535"),
        Arguments.of("mixed, unsorted", List.of("8000-8999", 443, "80"), "80, 443, 8000-8999"),
        Arguments.of("overlapping and adjacent ranges merge", List.of("1-100", "50-200", "201-300", 301), "1-301"),
        Arguments.of("a one-port range is a port", List.of("443-443"), "443"),
        Arguments.of("spaces around the dash", List.of(" 10 - 20 "), "10-20"),
        Arguments.of("nothing", List.of(), ""));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("parsed")
  void parsesAndPrintsShort(String name, List<Object> items, String expected) {
    assertEquals(expected, PortRanges.of(items).toString());
  }

  static Stream<Arguments> refused() {
    return Stream.of(
        Arguments.of("zero", List.of(0)),
        Arguments.of("above 65535", List.of(65536)),
        Arguments.of("reversed range", List.of("2000-1000")),
        Arguments.of("not a number", List.of("https")),
        Arguments.of("open range", List.of("1024-")),
        Arguments.of("negative", List.of(-1)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("refused")
  void refusesWhatIsNotAPortOrRange(String name, List<Object> items) {
    assertThrows(IllegalArgumentException.class, () -> PortRanges.of(items));
  }

  @Test
  void containsTheEndsOfEachRangeAndNothingBetweenRanges() {
    PortRanges p = PortRanges.of(List.of(443, "1024-2048", "8000-8001"));
    for (int in : new int[] {443, 1024, 1500, 2048, 8000, 8001}) {
      assertEquals(true, p.contains(in), "port " + in);
    }
    for (int out : new int[] {1, 442, 444, 1023, 2049, 7999, 8002, 65535}) {
      assertEquals(false, p.contains(out), "port " + out);
    }
  }

  @Test
  void everyUnprivilegedPortIsOneShortItem() {
    PortRanges p = PortRanges.of(List.of("1024-65535"));
    assertEquals(List.of("1024-65535"), p.items());
    assertEquals(PortRanges.of(List.of("1024-65535")), p);
  }
}
