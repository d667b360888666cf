package io.hopwise.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AuthorityTest {
  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "example.com|true", "example.com:80|true", "EXAMPLE.com:65535|true", "a|true",
      "example.com:0|false", "example.com:65536|false", "example.com:|false", "example.com:123456|false",
      ":80|false", "a:b:80|false", "exa mple.com|false", "ex\u00e9mple.com|false", "a@b|false",
      "[::1]|true", "[::1]:8080|true", "[::1|false", "[zz::1]|false", "127.0.0.1:8080|true",
      "example.com:+80|false", "example.com:0080|true"})
  void hostFieldValues(String value, boolean valid) {
    assertEquals(valid, Authority.isValidHostField(value), value);
  }

  @Test
  void anEmptyHostFieldIsValid() {
    assertEquals(true, Authority.isValidHostField(""));
    assertNull(Authority.parse("", 0));
  }

  /** The quick check for Host fields must agree with the parser it stands in for. */
  @Test
  void theQuickCheckAgreesWithParse() {
    long seed = System.nanoTime();
    SplittableRandom random = new SplittableRandom(seed);
    String alphabet = "aZ09.-:[]@%_~!$&'()*+,;= \u00e9\u0100";
    for (int n = 0; n < 100_000; n++) {
      StringBuilder sb = new StringBuilder();
      int length = random.nextInt(12);
      for (int i = 0; i < length; i++) {
        sb.append(random.nextInt(4) == 0 ? (char) ('0' + random.nextInt(10)) : alphabet.charAt(random.nextInt(alphabet.length())));
      }
      String v = sb.toString();
      boolean expected = v.isEmpty() || Authority.parse(v, 0) != null;
      assertEquals(expected, Authority.isValidHostField(v), "seed " + seed + ": '" + v + "'");
      // In place, as the parser checks it: only the value's range counts, not the bytes around it.
      byte[] around = ("[1:" + v + ":8").getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
      assertEquals(expected, Authority.isValidHostField(around, 3, around.length - 2), "seed " + seed + ", in place: '" + v + "'");
    }
  }
}
