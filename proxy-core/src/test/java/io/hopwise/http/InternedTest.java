package io.hopwise.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import org.junit.jupiter.api.Test;
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

  /** The index of the entry spelled exactly as {@code b}, by a plain scan: the oracle for indexOf. */
  private static int scan(Interned table, byte[] b) {
    for (int i = 0; i < table.size(); i++) {
      if (Arrays.equals(table.get(i).getBytes(StandardCharsets.ISO_8859_1), b)) {
        return i;
      }
    }
    return -1;
  }

  /** indexOf(b[from, from + length)) against the scan, with the name at the end of the array or inside it. */
  private static void assertLookup(Interned table, byte[] name) {
    for (int after : new int[] {0, 9}) {
      byte[] b = new byte[3 + name.length + after];
      Arrays.fill(b, (byte) 'x');
      System.arraycopy(name, 0, b, 3, name.length);
      assertEquals(scan(table, name), table.indexOf(b, 3, name.length),
          new String(name, StandardCharsets.ISO_8859_1) + " with " + after + " bytes after it");
    }
  }

  @Test
  void everyEntryIsFoundAndEveryChangedByteOrLengthIsNot() {
    // Names are compared a word at a time (first, last and middle words): a difference in any
    // byte, at any length around the word boundaries, must miss.
    for (Interned table : new Interned[] {FieldNames.TABLE, Interned.METHODS, Interned.VERSIONS}) {
      for (int i = 0; i < table.size(); i++) {
        byte[] name = table.get(i).getBytes(StandardCharsets.ISO_8859_1);
        assertEquals(i, scan(table, name));
        assertLookup(table, name);
        for (int p = 0; p < name.length; p++) {
          for (int bit : new int[] {0x01, 0x20, 0x80}) {
            byte[] changed = name.clone();
            changed[p] ^= (byte) bit;
            assertLookup(table, changed);
          }
        }
        assertLookup(table, Arrays.copyOf(name, name.length - 1));
        byte[] longer = Arrays.copyOf(name, name.length + 1);
        longer[name.length] = 's';
        assertLookup(table, longer);
      }
    }
  }

  /**
   * The parser reads a line's first word once, to find a short name's colon and as the lookup's
   * key. Every entry, and every near miss, as the last line of a head and before another, at every
   * alignment, with values of several lengths: each line gets its name's id, and a name spelled
   * exactly as an entry is that entry's shared string.
   */
  @Test
  void theParserFindsEveryFieldNameAtEveryAlignment() {
    RequestHeadParser parser = new RequestHeadParser(HeadLimits.DEFAULT);
    for (int i = 0; i < FieldNames.TABLE.size(); i++) {
      String entry = FieldNames.TABLE.get(i);
      for (String name : new String[] {entry, entry.toLowerCase(Locale.ROOT), entry.substring(0, entry.length() - 1),
          entry + "s", "x" + entry.substring(1), entry.substring(0, entry.length() - 1) + "x"}) {
        if (name.isEmpty() || name.equalsIgnoreCase("Host")) {
          continue; // a second Host line is refused
        }
        boolean exact = name.equals(entry);
        for (int align = 0; align < 8; align++) {
          for (String value : new String[] {"", "1", " a-longer-value "}) {
            for (String after : new String[] {"", "X-After: 1\r\n"}) {
              String head = "GET /" + "a".repeat(align) + " HTTP/1.1\r\nHost: h\r\n" + name + ":" + value + "\r\n"
                  + after + "\r\n";
              byte[] b = head.getBytes(StandardCharsets.ISO_8859_1);
              var outcome = parser.parse(b, b.length);
              if (!(outcome instanceof ParseOutcome.Parsed<RequestHead> parsed)) {
                continue; // refused by a later rule (Content-Length "", say): not about names
              }
              HttpField f = parsed.head().fields().field(1);
              assertEquals(name, f.name(), head);
              assertEquals(FieldNames.id(name), f.id(), head);
              if (exact) {
                assertSame(entry, f.name(), "found by the lookup, not by the fallback: " + head);
              }
            }
          }
        }
      }
    }
  }

  /** The index of the entry equal to {@code name} ignoring case, by a plain scan: the oracle. */
  private static int scanIgnoreCase(Interned table, String name) {
    for (int i = 0; i < table.size(); i++) {
      if (table.get(i).equalsIgnoreCase(name)) {
        return i;
      }
    }
    return -1;
  }

  @Test
  void caseInsensitiveLookupsAgreeWithEqualsIgnoreCase() {
    for (Interned table : new Interned[] {FieldNames.TABLE, Interned.METHODS, Interned.VERSIONS}) {
      for (int i = 0; i < table.size(); i++) {
        String entry = table.get(i);
        for (String spelling : new String[] {entry, entry.toLowerCase(Locale.ROOT), entry.toUpperCase(Locale.ROOT),
            "x" + entry.substring(1), entry.substring(0, entry.length() - 1), entry + "s"}) {
          int expected = scanIgnoreCase(table, spelling);
          assertEquals(expected, table.indexOfIgnoreCase(spelling), spelling);
          // As Connection's list elements are looked up: a range of a longer value.
          String list = "close, " + spelling + " ,x";
          assertEquals(expected, table.indexOfIgnoreCase(list, 7, 7 + spelling.length()), list);
        }
      }
    }
  }
}
