package io.hopwise.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class InternedTest {
  private static String at(Interned table, String text) {
    // Offset inside a larger array, as the parser calls it.
    byte[] b = ("xx" + text + "yy").getBytes(StandardCharsets.ISO_8859_1);
    return table.string(b, 2, text.length());
  }

  @ParameterizedTest
  @ValueSource(strings = {"Host", "User-Agent", "Proxy-Connection", "TE", "Upgrade-Insecure-Requests"})
  void aCommonNameIsTheSharedLiteral(String name) {
    // intern(): annotation values reach the test as new strings, literals are interned.
    assertSame(name.intern(), at(FieldNames.TABLE, name));
  }

  @ParameterizedTest
  @ValueSource(strings = {"host", "HOST", "user-agent", "Hosts", "Hos", "X-Custom", "Te", "", "H\u00e9st"})
  void anythingElseIsANewStringWithTheSameSpelling(String name) {
    String s = at(FieldNames.TABLE, name);
    assertEquals(name, s, "the case and bytes as received");
    if (!name.isEmpty()) {
      assertNotSame(name.intern(), s);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"GET", "CONNECT", "get", "GETS", "BREW"})
  void methodsKeepTheirSpelling(String method) {
    assertEquals(method, at(Interned.METHODS, method));
  }

  @ParameterizedTest
  @ValueSource(strings = {"host: a", "Host: a"})
  void theParserKeepsTheReceivedCase(String line) {
    byte[] req = ("GET http://a/ HTTP/1.1\r\n" + line + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);
    var parsed = (ParseOutcome.Parsed<RequestHead>) new RequestHeadParser(HeadLimits.DEFAULT).parse(req, req.length);
    assertEquals(line.substring(0, 4), parsed.head().fields().asList().get(0).name());
    assertEquals("GET", parsed.head().method());
    assertEquals(HttpVersion.HTTP_1_1, parsed.head().version());
  }
}
