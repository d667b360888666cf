package io.hopwise.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Connection-style list values read in place from received bytes ({@link ListElements}) must mean
 * exactly what the same values mean as strings (RFC 9110 5.6.1): every case below is checked both ways.
 */
class ListElementsTest {
  /** The field as the parser makes it from received bytes (value read in place). */
  private static HttpFields received(String name, String value) {
    byte[] raw = ("GET / HTTP/1.1\r\nHost: a\r\n" + name + ": " + value + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);
    var parsed = assertInstanceOf(ParseOutcome.Parsed.class, new RequestHeadParser(HeadLimits.DEFAULT).parse(raw, raw.length));
    HttpFields fields = ((RequestHead) parsed.head()).fields();
    assertNotNull(fields.field(1).source(), "a received value is read in place");
    return fields;
  }

  /** The same field given as a string. */
  private static HttpFields given(String name, String value) {
    HttpFields fields = HttpFields.of("Host", "a", name, value);
    assertNull(fields.field(1).source());
    return fields;
  }

  @ParameterizedTest(name = "''{0}'' has ''{1}'': {2}")
  @CsvSource(delimiter = '|', value = {
      "close|close|true", "Close|close|true", "CLOSE|close|true", "' close '|close|true",
      "keep-alive, close|close|true", "close,keep-alive|keep-alive|true", ",,close,,|close|true",
      "'a ,\tclose\t, b'|close|true", "closed|close|false", "clos|close|false", "xclose|close|false",
      "'close x'|close|false", "Keep-Alive|keep-alive|true", "keep_alive|keep-alive|false",
      "keep-alivE|keep-alive|true", "upgrade|close|false", "'\u00e9close'|close|false",
      "clo\u00e9e|close|false", "',,,'|close|false", "100-Continue|100-continue|true"})
  void hasTokenReadInPlaceAgreesWithTheStringPath(String value, String token, boolean expected) {
    assertEquals(expected, given("Connection", value).hasToken("Connection", token), "as a string");
    assertEquals(expected, received("Connection", value).hasToken("Connection", token), "read in place");
  }

  /** A field name for each kind of element a Connection value may hold. */
  private static final String[] PROBES = {"Keep-Alive", "keep-alive", "Upgrade", "TE", "X-Custom", "x-custom",
      "close", "Transfer-Encoding", "Content-Length", "Host", "Via", "Cookie", "X-Other"};

  @Test
  void nominationsReadInPlaceAgreeWithTheStringPathOnRandomLists() {
    String[] pieces = {"keep-alive", "Keep-Alive", "KEEP-ALIVE", "close", "Close", "upgrade", "Upgrade", "te",
        "TE", "x-custom", "X-Custom", "transfer-encoding", "Host", "via", "cookie", "X-Other", "k", "", " ", "\t"};
    long seed = System.nanoTime();
    SplittableRandom random = new SplittableRandom(seed);
    for (int n = 0; n < 2_000; n++) {
      StringBuilder value = new StringBuilder();
      int elements = 1 + random.nextInt(5);
      for (int i = 0; i < elements; i++) {
        if (i > 0) {
          value.append(random.nextBoolean() ? "," : " , ");
        }
        value.append(pieces[random.nextInt(pieces.length)]);
      }
      String v = value.toString().strip();
      if (v.isEmpty()) {
        continue;
      }
      String field = random.nextBoolean() ? "Connection" : "Proxy-Connection";
      Nominations asString = Nominations.of(given(field, v));
      Nominations inPlace = Nominations.of(received(field, v));
      String what = "seed " + seed + ", " + field + ": '" + v + "'";
      assertEquals(asString.tokenCount(), inPlace.tokenCount(), what);
      assertEquals(asString.isEmpty(), inPlace.isEmpty(), what);
      for (String probe : PROBES) {
        HttpField line = new HttpField(probe, "1");
        assertEquals(asString.reason(line), inPlace.reason(line), what + ", probe " + probe);
      }
    }
  }

  @Test
  void knownNamesAreFoundInAnyCaseFromBytes() {
    for (int id = 0; id < FieldNames.TABLE.size(); id++) {
      String name = FieldNames.TABLE.get(id);
      for (String spelling : new String[] {name, name.toLowerCase(java.util.Locale.ROOT), name.toUpperCase(java.util.Locale.ROOT)}) {
        byte[] b = ("x" + spelling + "x").getBytes(StandardCharsets.ISO_8859_1);
        assertEquals(id, FieldNames.TABLE.indexOfIgnoreCase(b, 1, spelling.length()), spelling);
      }
      // One byte changed to a non-letter that folds onto a letter's bit pattern: not a match.
      byte[] b = name.getBytes(StandardCharsets.ISO_8859_1);
      for (int i = 0; i < b.length; i++) {
        byte[] changed = b.clone();
        changed[i] = (byte) (changed[i] ^ 0x20);
        boolean letter = Character.isLetter(b[i]);
        int found = FieldNames.TABLE.indexOfIgnoreCase(changed, 0, changed.length);
        if (letter) {
          assertEquals(id, found, name + " with its letter " + i + " in the other case");
        } else {
          assertEquals(-1, found, name + " with byte " + i + " 0x" + Integer.toHexString(changed[i] & 0xFF));
        }
      }
    }
  }
}
