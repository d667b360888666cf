package io.hopwise.view;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class RecurringTest {
  private static String fresh(String s) {
    return new String(s.toCharArray());
  }

  @Test
  void anEqualValueSeenBeforeIsHandedBack() {
    Recurring<String> r = new Recurring<>(8);
    String first = fresh("/a");
    assertSame(first, r.shared(first));
    assertSame(first, r.shared(fresh("/a")));
  }

  @Test
  void aDifferentValueIsKeptAsItIsAndNeverSwappedForAnother() {
    Recurring<String> r = new Recurring<>(1); // every value in one slot: each new one replaces the last
    String a = fresh("/a");
    String b = fresh("/b");
    assertSame(a, r.shared(a));
    assertSame(b, r.shared(b));
    String a2 = fresh("/a");
    assertSame(a2, r.shared(a2), "/a was replaced by /b, so a new /a is kept");
    assertNotSame(a, r.shared(fresh("/a")));
    assertEquals("/b", r.shared(fresh("/b")));
  }

  @Test
  void nullStaysNull() {
    assertNull(new Recurring<String>(4).shared(null));
  }

  @Test
  void sizeMustBeAPowerOfTwo() {
    assertThrows(IllegalArgumentException.class, () -> new Recurring<String>(12));
  }
}
