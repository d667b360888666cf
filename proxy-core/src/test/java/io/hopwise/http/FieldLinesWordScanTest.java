package io.hopwise.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The parser skips ordinary bytes eight at a time. These tests put every byte value at every
 * position of a word, and at every alignment of a value, and check the word-at-a-time answer
 * against a byte-at-a-time one.
 */
class FieldLinesWordScanTest {
  private static boolean isControl(int c) {
    return c < 0x20 || c == 0x7F;
  }

  /** The index of the lowest flagged byte, 8 when none: what the parser relies on. */
  private static int lowest(long flags) {
    return flags == 0 ? 8 : Long.numberOfTrailingZeros(flags) >>> 3;
  }

  private static long word(int[] bytes) {
    long w = 0;
    for (int i = 7; i >= 0; i--) {
      w = (w << 8) | bytes[i];
    }
    return w;
  }

  @Test
  void everyByteValueAtEveryPositionOverEveryBackground() {
    for (int background : new int[] {'a', ' ', 0x80, 0xFF, 0x20, 0x7E, 0x21, 0xA0}) {
      for (int pos = 0; pos < 8; pos++) {
        for (int c = 0; c < 256; c++) {
          int[] bytes = new int[8];
          java.util.Arrays.fill(bytes, background);
          bytes[pos] = c;
          long w = word(bytes);
          assertEquals(isControl(c) ? pos : 8, lowest(FieldLines.controlBytes(w)),
              "control byte 0x" + Integer.toHexString(c) + " at " + pos + " among 0x" + Integer.toHexString(background));
          assertEquals(c == '\n' ? pos : 8, lowest(FieldLines.lineFeeds(w)),
              "LF search, byte 0x" + Integer.toHexString(c) + " at " + pos);
        }
      }
    }
  }

  @Test
  void randomWordsAgreeWithAByteLoop() {
    long seed = System.nanoTime();
    SplittableRandom random = new SplittableRandom(seed);
    for (int n = 0; n < 200_000; n++) {
      int[] bytes = new int[8];
      int expectedControl = 8;
      int expectedLf = 8;
      for (int i = 0; i < 8; i++) {
        // Mostly bytes near the edges of the classes, where borrows happen.
        int[] pool = {0x00, 0x01, 0x09, 0x0A, 0x0D, 0x1F, 0x20, 0x21, 0x7E, 0x7F, 0x80, 0x9F, 0xA0, 0xFF, 'x'};
        bytes[i] = random.nextInt(3) == 0 ? random.nextInt(256) : pool[random.nextInt(pool.length)];
        if (expectedControl == 8 && isControl(bytes[i])) {
          expectedControl = i;
        }
        if (expectedLf == 8 && bytes[i] == '\n') {
          expectedLf = i;
        }
      }
      long w = word(bytes);
      assertEquals(expectedControl, lowest(FieldLines.controlBytes(w)), "seed " + seed + " word " + Long.toHexString(w));
      assertEquals(expectedLf, lowest(FieldLines.lineFeeds(w)), "seed " + seed + " word " + Long.toHexString(w));
    }
  }

  private static ParseOutcome<RequestHead> parse(String head) {
    byte[] b = head.getBytes(StandardCharsets.ISO_8859_1);
    return new RequestHeadParser(HeadLimits.DEFAULT).parse(b, b.length);
  }

  @Test
  void aBadByteAtAnyOffsetOfALongValueIsRefused() {
    String value = "abcdefghijklmnopqrstuvwxyz0123456789";
    for (int at = 0; at < value.length(); at++) {
      for (int c = 0; c < 256; c++) {
        if (c == '\r' || c == '\n') {
          continue; // these end the line: covered by the bare CR / bare LF cases
        }
        String v = value.substring(0, at) + (char) c + value.substring(at + 1);
        var outcome = parse("GET / HTTP/1.1\r\nHost: a\r\nX-Long: " + v + "\r\nX-After: 1\r\n\r\n");
        String what = "byte 0x" + Integer.toHexString(c) + " at offset " + at;
        if (isControl(c) && c != '\t') {
          assertEquals(400, assertInstanceOf(ParseOutcome.Refused.class, outcome, what).rejection().status(), what);
        } else {
          var head = assertInstanceOf(ParseOutcome.Parsed.class, outcome, what).head();
          String expected = v.strip().equals(v) ? v : v.replaceAll("^[ \t]+|[ \t]+$", "");
          assertEquals(expected, ((RequestHead) head).fields().get("X-Long"), what);
          assertEquals("1", ((RequestHead) head).fields().get("X-After"), what);
        }
      }
    }
  }

  @Test
  void aBareCrOrBareLfAtAnyOffsetIsRefused() {
    String value = "abcdefghijklmnopqrstuvwxyz0123456789";
    for (int at = 1; at < value.length(); at++) {
      for (char c : new char[] {'\r', '\n'}) {
        String v = value.substring(0, at) + c + value.substring(at + 1);
        var outcome = parse("GET / HTTP/1.1\r\nHost: a\r\nX-Long: " + v + "\r\n\r\n");
        assertEquals(400, assertInstanceOf(ParseOutcome.Refused.class, outcome, (int) c + " at " + at).rejection().status());
      }
    }
  }

  @Test
  void aByteAboveDelAtAnyOffsetOfTheTargetIsRefused() {
    String target = "http://www.example.com/articles/2026?q=1";
    for (int at = 0; at < target.length(); at++) {
      for (char c : new char[] {0x80, 0xE9, 0xFF}) {
        String t = target.substring(0, at) + c + target.substring(at + 1);
        var outcome = parse("GET " + t + " HTTP/1.1\r\nHost: a\r\n\r\n");
        assertEquals(400, assertInstanceOf(ParseOutcome.Refused.class, outcome, (int) c + " at " + at).rejection().status());
      }
    }
    // And the same target, clean, is accepted: the check does not refuse everything.
    assertInstanceOf(ParseOutcome.Parsed.class, parse("GET " + target + " HTTP/1.1\r\nHost: a\r\n\r\n"));
  }

  /** Field sections built from a few lines of mostly valid bytes, with the odd bad one. */
  private static byte[] randomSection(SplittableRandom random) {
    StringBuilder sb = new StringBuilder();
    String[] names = {"Host", "host", "X-A", "Content-Length", "Accept-Language", "Cookie", "X-Long-Custom-Name"};
    int[] odd = {0x00, 0x01, '\t', '\n', '\r', 0x1F, ' ', 0x7F, 0x80, 0xFF, ':'};
    int lines = random.nextInt(12);
    for (int i = 0; i < lines; i++) {
      sb.append(names[random.nextInt(names.length)]);
      sb.append(random.nextInt(20) == 0 ? " :" : ":");
      int n = random.nextInt(40);
      for (int j = 0; j < n; j++) {
        sb.append(random.nextInt(30) == 0 ? (char) odd[random.nextInt(odd.length)] : (char) ('a' + random.nextInt(26)));
      }
      sb.append(random.nextInt(30) == 0 ? "\n" : "\r\n");
    }
    sb.append("\r\n");
    if (random.nextBoolean()) {
      sb.append("body".repeat(random.nextInt(100)));
    }
    return sb.toString().getBytes(StandardCharsets.ISO_8859_1);
  }

  @Test
  void theOnePassPathAgreesWithTheTwoStepPathOnEveryPrefix() {
    long seed = System.nanoTime();
    SplittableRandom random = new SplittableRandom(seed);
    int onePass = 0;
    // One order for all sections, as a connection's parser keeps: its guesses fire on every prefix.
    FieldOrder order = new FieldOrder();
    for (int n = 0; n < 5_000; n++) {
      byte[] b = randomSection(random);
      int maxFields = 1 + random.nextInt(12);
      for (int to = 0; to <= b.length; to++) {
        FieldLines.Section whole = FieldLines.wholeSection(b, 0, to, maxFields, order);
        if (whole == null) {
          continue;
        }
        onePass++;
        String ctx = "seed " + seed + ", prefix " + to + " of " + new String(b, StandardCharsets.ISO_8859_1);
        try {
          int end = FieldLines.headEnd(b, 0, to, 400);
          assertEquals(end, whole.end(), ctx);
          assertEquals(FieldLines.parseSection(b, 0, end, maxFields, 400, 431), whole.fields(), ctx);
        } catch (RejectedException e) {
          throw new AssertionError(ctx + ": the two steps refuse (" + e.rejection() + ") what one pass accepted");
        }
      }
    }
    assertTrue(onePass > 1_000, "the one-pass path was taken only " + onePass + " times");
  }

  @Test
  void aSectionEndThatCutsALineIsRefusedNotMisread() {
    byte[] b = "A: b\r\n".getBytes(StandardCharsets.ISO_8859_1);
    RejectedException e = org.junit.jupiter.api.Assertions.assertThrows(RejectedException.class,
        () -> FieldLines.parseSection(b, 0, 5, 10, 400, 431));
    assertEquals(400, e.rejection().status());
  }

  private static boolean endsWithEmptyLine(String s) {
    byte[] b = s.getBytes(StandardCharsets.ISO_8859_1);
    return FieldLines.endsWithEmptyLine(b, b.length);
  }

  @Test
  void onlyAHeadThatEndsTheBytesIsTriedInOnePass() {
    assertTrue(endsWithEmptyLine("A: b\r\n\r\n"));
    assertTrue(!endsWithEmptyLine("A: b\r\n\r\nbody"));
    assertTrue(!endsWithEmptyLine("A: b\r\n\r"));
    assertTrue(!endsWithEmptyLine("\r\n"));
  }

}
