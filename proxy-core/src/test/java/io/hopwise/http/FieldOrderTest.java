package io.hopwise.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * A parser guesses each line's name from the connection's last sections ({@link FieldOrder}).
 * The guess may only make parsing faster: whatever was guessed, the lines come out as a parser
 * with no memory reads them, ids included.
 */
class FieldOrderTest {
  /**
   * Names that tempt a wrong guess: the same length and first word (Sec-Fetch-*, X-Forwarded-*),
   * long names off by their last byte or a middle one, one a prefix of another (Accept), another
   * case, names not in the table.
   */
  private static final String[] NAMES = {"Accept", "Accept-Encoding", "Accept-Language", "accept", "Host", "HOST",
      "Sec-Fetch-Site", "Sec-Fetch-Mode", "Sec-Fetch-Dest", "X-Forwarded-Host", "X-Forwarded-Port",
      "X-Forwarded-Hosts", "TE", "Te", "DNT", "X-Custom", "Connection", "Upgrade-Insecure-Requests",
      "Upgrade-Insecure-Requestz", "Upgrade-Xnsecure-Requests", "If-Modified-Since", "If-Modified-Sincx"};

  /** Each line as "name|id|value": HttpFields' own equality leaves the id out. */
  private static List<String> lines(HttpFields fields) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < fields.size(); i++) {
      HttpField f = fields.field(i);
      out.add(f.name() + "|" + f.id() + "|" + f.value());
    }
    return out;
  }

  private static byte[] section(SplittableRandom random, List<String> previousNames, List<String> names) {
    return section(random, previousNames, names, NAMES);
  }

  private static byte[] section(SplittableRandom random, List<String> previousNames, List<String> names,
      String[] from) {
    StringBuilder sb = new StringBuilder();
    int count = random.nextInt(1, 10);
    for (int i = 0; i < count; i++) {
      // Often the line the last section had at this position, as a connection's next request does.
      String name = i < previousNames.size() && random.nextInt(3) > 0
          ? previousNames.get(i)
          : from[random.nextInt(from.length)];
      names.add(name);
      // Values that hold colons, so a guessed name's length can land on one.
      sb.append(name).append(':').append(random.nextBoolean() ? " " : "");
      int n = random.nextInt(20);
      for (int j = 0; j < n; j++) {
        sb.append(random.nextInt(6) == 0 ? ':' : (char) ('a' + random.nextInt(26)));
      }
      sb.append("\r\n");
    }
    return sb.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1);
  }

  @Test
  void whatWasGuessedNeverChangesWhatIsParsed() {
    long seed = System.nanoTime();
    SplittableRandom random = new SplittableRandom(seed);
    FieldOrder order = new FieldOrder();
    List<String> previous = List.of();
    for (int n = 0; n < 20_000; n++) {
      List<String> names = new ArrayList<>();
      byte[] b = section(random, previous, names);
      String ctx = "seed " + seed + ", section " + n + ": " + new String(b, StandardCharsets.ISO_8859_1);
      FieldLines.Section guessed = FieldLines.wholeSection(b, 0, b.length, 64, order);
      assertNotNull(guessed, ctx);
      // The two-step path never guesses.
      try {
        int end = FieldLines.headEnd(b, 0, b.length, 400);
        assertEquals(end, guessed.end(), ctx);
        assertEquals(lines(FieldLines.parseSection(b, 0, end, 64, 400, 431)), lines(guessed.fields()), ctx);
      } catch (RejectedException e) {
        throw new AssertionError(ctx + ": refused by the two steps: " + e.rejection());
      }
      previous = names;
    }
  }

  @Test
  void aGuessedNameThatEndsTheBytesIsReadAsWithoutAGuess() {
    FieldOrder order = new FieldOrder();
    parse(order, "TE: trailers\r\nUpgrade-Insecure-Requests: 1\r\n\r\n");
    for (String section : new String[] {"TE:\r\n\r\n", "TE:", "TE", "Upgrade-Insecure-Requests:", "TE: x\r\nUpgrade-Insecure-Requests",
        "TE: x\r\nUpgrade-Insecure-Requests:\r\n\r\n"}) {
      byte[] b = section.getBytes(StandardCharsets.ISO_8859_1);
      for (int to = 0; to <= b.length; to++) {
        FieldLines.Section guessed = FieldLines.wholeSection(b, 0, to, 64, order);
        FieldLines.Section unguessed = FieldLines.wholeSection(b, 0, to, 64, new FieldOrder());
        String ctx = "'" + section + "' up to " + to;
        assertEquals(unguessed == null, guessed == null, ctx);
        if (guessed != null) {
          assertEquals(lines(unguessed.fields()), lines(guessed.fields()), ctx);
        }
      }
    }
  }

  @Test
  void aNameInAnotherCaseIsNotGuessed() {
    // The guess is compared case-exactly, so a client's "host" would only cost a wrong guess.
    FieldOrder order = new FieldOrder();
    parse(order, "host: a\r\nAccept: b\r\n\r\n");
    assertEquals(FieldNames.NONE, order.after(FieldOrder.START));
    assertEquals(id("Accept"), order.after(FieldNames.NONE));
  }

  private static int id(String name) {
    return FieldNames.id(name);
  }

  private static void parse(FieldOrder order, String section) {
    byte[] b = section.getBytes(StandardCharsets.ISO_8859_1);
    assertNotNull(FieldLines.wholeSection(b, 0, b.length, 64, order));
  }

  @Test
  void eachNameIsRememberedAsTheOneAfterThePrevious() {
    FieldOrder order = new FieldOrder();
    parse(order, "Host: a\r\nX-Custom: b\r\nAccept: c\r\nDNT: 1\r\n\r\n");
    assertEquals(id("Host"), order.after(FieldOrder.START));
    assertEquals(FieldNames.NONE, order.after(id("Host")), "X-Custom has no id");
    assertEquals(id("Accept"), order.after(FieldNames.NONE), "after a name with no id");
    assertEquals(id("DNT"), order.after(id("Accept")));
    assertEquals(FieldNames.NONE, order.after(id("DNT")), "nothing followed the last line");
  }

  @Test
  void aLineAddedOrLeftOutChangesOnlyTheGuessesBesideIt() {
    FieldOrder order = new FieldOrder();
    parse(order, "Host: a\r\nAccept: b\r\nCookie: c\r\nDNT: 1\r\n\r\n");
    // A page's request with one more line than its images' requests.
    parse(order, "Host: a\r\nUpgrade-Insecure-Requests: 1\r\nAccept: b\r\nCookie: c\r\nDNT: 1\r\n\r\n");
    assertEquals(id("Upgrade-Insecure-Requests"), order.after(id("Host")));
    assertEquals(id("Accept"), order.after(id("Upgrade-Insecure-Requests")));
    assertEquals(id("Cookie"), order.after(id("Accept")), "the lines after the added one are guessed as before");
    assertEquals(id("DNT"), order.after(id("Cookie")));
    parse(order, "Host: a\r\nCookie: c\r\nDNT: 1\r\n\r\n");
    assertEquals(id("Cookie"), order.after(id("Host")));
    assertEquals(id("DNT"), order.after(id("Cookie")));
  }

  @Test
  void aRequestParserReadsTheSameHeadsWithItsMemoryAsWithout() {
    long seed = System.nanoTime();
    SplittableRandom random = new SplittableRandom(seed);
    RequestHeadParser remembering = new RequestHeadParser(HeadLimits.DEFAULT);
    // One Host line, first, so that most heads parse; the other lines vary as above.
    String[] notHost = java.util.Arrays.stream(NAMES).filter(name -> !name.equalsIgnoreCase("Host"))
        .toArray(String[]::new);
    List<String> previous = List.of();
    int parsed = 0;
    for (int n = 0; n < 5_000; n++) {
      List<String> names = new ArrayList<>();
      byte[] fields = section(random, previous, names, notHost);
      byte[] b = ("GET http://a.example/ HTTP/1.1\r\nHost: a.example\r\n" + new String(fields, StandardCharsets.ISO_8859_1))
          .getBytes(StandardCharsets.ISO_8859_1);
      ParseOutcome<RequestHead> got = remembering.parse(b, b.length);
      // Without its quick paths a parser takes the two steps, which never guess.
      ParseOutcome<RequestHead> want = new RequestHeadParser(HeadLimits.DEFAULT, false).parse(b, b.length);
      String ctx = "seed " + seed + ", head " + n + ": " + new String(b, StandardCharsets.ISO_8859_1);
      assertEquals(want.getClass(), got.getClass(), ctx);
      if (want instanceof ParseOutcome.Parsed<RequestHead> w) {
        assertEquals(lines(w.head().fields()), lines(((ParseOutcome.Parsed<RequestHead>) got).head().fields()), ctx);
        parsed++;
      } else {
        assertEquals(want.toString(), got.toString(), ctx);
      }
      previous = names;
    }
    assertTrue(parsed > 2_500, "only " + parsed + " heads parsed");
  }

  @Test
  void aResponseParserReadsTheSameHeadsWithItsMemoryAsWithout() {
    long seed = System.nanoTime();
    SplittableRandom random = new SplittableRandom(seed);
    ResponseHeadParser remembering = new ResponseHeadParser(16 * 1024, 100);
    String[] notFraming = java.util.Arrays.stream(NAMES).filter(name -> !name.equalsIgnoreCase("Connection"))
        .toArray(String[]::new);
    List<String> previous = List.of();
    for (int n = 0; n < 5_000; n++) {
      List<String> names = new ArrayList<>();
      byte[] fields = section(random, previous, names, notFraming);
      String statusLine = "HTTP/1.1 204 No Content\r\n";
      byte[] b = (statusLine + new String(fields, StandardCharsets.ISO_8859_1)).getBytes(StandardCharsets.ISO_8859_1);
      String ctx = "seed " + seed + ", head " + n + ": " + new String(b, StandardCharsets.ISO_8859_1);
      var got = (ParseOutcome.Parsed<ResponseHead>) remembering.parse(b, b.length, "GET");
      try {
        int from = statusLine.length();
        int end = FieldLines.headEnd(b, from, b.length, 502);
        assertEquals(lines(FieldLines.parseSection(b, from, end, 100, 502, 502)), lines(got.head().fields()), ctx);
      } catch (RejectedException e) {
        throw new AssertionError(ctx + ": refused by the two steps: " + e.rejection());
      }
      previous = names;
    }
  }
}
