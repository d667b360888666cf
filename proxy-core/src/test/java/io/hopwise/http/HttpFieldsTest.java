package io.hopwise.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class HttpFieldsTest {
  @Test
  void aBuiltListDoesNotChangeWhenItsBuilderGoesOn() {
    HttpFields.Builder b = HttpFields.builder(4);
    b.add("A", "1").add("Host", "h").add("B", "2").add("C", "3"); // full: the array is handed over
    HttpFields first = b.build();
    b.removeAll("Host").add("D", "4").setFirst("E", "5").set("A", "one");
    HttpFields second = b.build();
    assertEquals(HttpFields.of("A", "1", "Host", "h", "B", "2", "C", "3"), first);
    assertTrue(first.contains("host"), "the presence mask of the first list is its own");
    assertEquals(HttpFields.of("E", "5", "A", "one", "B", "2", "C", "3", "D", "4"), second);
    assertFalse(second.contains("Host"));
  }

  @Test
  void lookupsIgnoreCaseForKnownAndUnknownNames() {
    HttpFields f = HttpFields.of("content-LENGTH", "5", "X-Custom", "a", "x-custom", "b", "Connection", "close, TE");
    assertEquals("5", f.get("Content-Length"));
    assertEquals(List.of("a", "b"), f.getAll("X-CUSTOM"));
    assertEquals(2, f.count("x-custom"));
    assertEquals(List.of("close", "te"), f.tokens("connection"));
    assertTrue(f.hasToken("Connection", "te"));
    assertFalse(f.contains("Transfer-Encoding"));
    assertFalse(f.contains("X-Other"));
  }

  @Test
  void aListTakenFromABiggerArrayShowsOnlyItsLines() {
    HttpFields f = HttpFields.builder(16).add("A", "1").build();
    assertEquals(1, f.size());
    assertEquals(List.of(new HttpField("A", "1")), f.asList());
    assertThrows(IndexOutOfBoundsException.class, () -> f.field(1));
    assertEquals(HttpFields.of("A", "1").hashCode(), f.hashCode());
  }
}
