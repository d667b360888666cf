package io.hopwise.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * A bounded, seeded mutation fuzzer for {@link RequestHeadParser} (issue 5): valid request heads
 * are mutated at random (bytes flipped, inserted, deleted; CR, LF, NUL, SP, HTAB, ':' and ','
 * inserted; lines duplicated, dropped, swapped; truncation; two heads spliced; Content-Length
 * digits and letter case changed; hostile field lines inserted) and parsed under several limits.
 * The parser must never throw, and every outcome must be self-consistent:
 *
 * <ul>
 *   <li>Parsed: {@code consumed} ends the first CRLFCRLF after the ignored leading CRLFs; the
 *       canonical re-serialisation of the head parses again to an equal head; no name or value
 *       holds CR, LF or NUL; the framing agrees with the Content-Length / Transfer-Encoding fields.
 *   <li>Refused: status 400, 414, 431, 501 or 505, with a reason.
 *   <li>NeedMore: no complete head is there, and appending an empty line ends the wait.
 *   <li>The parser's one-pass paths for plain heads decide as its full step-by-step checks do.
 *   <li>The outcome depends only on the first {@code length} bytes, and not on how they were split:
 *       a prefix of a parsed head needs more, a prefix of anything never parses to something else.
 * </ul>
 *
 * <p>Reproduce a failure with the seed printed in its message: {@code ./mvnw -o -pl proxy-core test
 * -Dtest=RequestHeadParserFuzzTest -Dhopwise.seed=N}. {@code -Dhopwise.seed=random} picks a fresh
 * seed (printed); {@code -Dhopwise.fuzz.iterations=N} changes the number of mutated inputs.
 */
class RequestHeadParserFuzzTest {
  private static final long DEFAULT_SEED = 0xF022_5EEDL;
  private static final long SEED = seed();
  private static final int ITERATIONS = Integer.getInteger("hopwise.fuzz.iterations", 3000);

  /** Limits each input is parsed under: the defaults, the table tests' small ones, and "unlimited". */
  private static final List<HeadLimits> LIMITS = List.of(
      HeadLimits.DEFAULT,
      new HeadLimits(64, 256, 10),
      new HeadLimits(128, 512, 20),
      new HeadLimits(Integer.MAX_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE));
  /** The strict re-parse of a parsed head's canonical form: limits are not what it is about. */
  private static final HeadLimits REPARSE = new HeadLimits(1 << 20, 1 << 20, 100_000);

  private static final List<Integer> REFUSAL_STATUSES = List.of(400, 414, 431, 501, 505);
  private static final byte[] CRLFCRLF = {'\r', '\n', '\r', '\n'};

  private static final List<String> CORPUS = List.of(
      "GET http://example.com/path?q=1 HTTP/1.1\r\nHost: example.com\r\nUser-Agent: curl/8.5.0\r\nAccept: */*\r\n"
          + "Proxy-Connection: Keep-Alive\r\n\r\n",
      "GET /index.html HTTP/1.1\r\nHost: www.example.org\r\nAccept-Encoding: gzip, deflate\r\nConnection: keep-alive\r\n\r\n",
      "CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\nProxy-Authorization: Basic dXNlcjpwYXNz\r\n\r\n"
          + "\u0016\u0003\u0001\u0000\u00c8\u0001\u0000\u0000\u00c4\u0003\u0003",
      "POST /upload HTTP/1.1\r\nHost: a.example\r\nTransfer-Encoding: chunked\r\nContent-Type: text/plain\r\n\r\n"
          + "5\r\nhello\r\n0\r\n\r\n",
      "PUT /x HTTP/1.1\r\nHost: a.example:8080\r\nContent-Length: 11\r\n\r\nhello world",
      "GET / HTTP/1.0\r\n\r\n",
      "POST /form HTTP/1.0\r\nHost: a\r\nContent-Length: 3\r\nConnection: keep-alive\r\n\r\nabc",
      "GET http://b.example/a/b?c=d HTTP/1.1\r\nHost: b.example\r\nAccept: text/html,application/xhtml+xml;q=0.9\r\n"
          + "Accept-Language: en-GB,en;q=0.5\r\nCookie: a=1; b=2\r\nCookie: c=3\r\nCache-Control: no-cache\r\n"
          + "If-None-Match: \"abc\"\r\nReferer: http://b.example/\r\nVia: 1.1 upstream\r\nForwarded: for=10.0.0.1\r\n"
          + "X-Forwarded-For: 10.0.0.1, 10.0.0.2\r\nTE: trailers\r\nConnection: TE\r\nUpgrade-Insecure-Requests: 1\r\n"
          + "X-Custom-1: one\r\nx-custom-2: two\r\nDNT: 1\r\nUser-Agent: Mozilla/5.0 (X11; Linux x86_64)\r\n\r\n",
      "OPTIONS * HTTP/1.1\r\nHost: a\r\nMax-Forwards: 0\r\n\r\n",
      "\r\n\r\nGET /after-empty-lines HTTP/1.1\r\nHost: a\r\n\r\n",
      "GET http://[::1]:8080/v6 HTTP/1.1\r\nHost: [::1]:8080\r\n\r\n",
      "POST /dup HTTP/1.1\r\nHost: a\r\nContent-Length: 5, 5\r\ncontent-length: 5\r\n\r\nhello",
      "GET /1 HTTP/1.1\r\nHost: a\r\n\r\nGET /2 HTTP/1.1\r\nHost: a\r\n\r\n",
      "GET / HTTP/1.1\r\nhost:a\r\nX-Obs: caf\u00e9\r\nX-Tab: a\tb\r\nX-Empty:\r\nX-Colon: a:b:c\r\n\r\n",
      "HEAD /h HTTP/1.1\r\nHost: h.example\r\nTE: trailers\r\nConnection: TE, close\r\n\r\n",
      "PATCH /p HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: cHuNkEd\r\n\r\n0\r\n\r\n",
      "GET /" + "a".repeat(50) + " HTTP/1.1\r\nHost: a\r\n\r\n", // request line of exactly 64 bytes
      "DELETE http://a.example/r HTTP/1.2\r\nHost: a.example\r\n\r\n",
      // 24 short fields in under 256 bytes: over the small field-count limits, not the byte limits.
      "GET /many HTTP/1.1\r\nHost: m\r\n" + "X-f: 1\r\nx-G:\r\n".repeat(12) + "\r\n",
      "GET /ws HTTP/1.1\r\nHost: a\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
          + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n");

  /** Whole field lines a mutation may insert: smuggling and syntax classics. */
  private static final List<String> HOSTILE_LINES = List.of("Transfer-Encoding: chunked", "Transfer-Encoding: gzip, chunked",
      "Transfer-Encoding: chunked, chunked", "transfer-encoding:\tCHUNKED", "Transfer-Encoding: xchunked",
      "Transfer-Encoding:", "Transfer-Encoding : chunked", "Content-Length: 0", "Content-Length: 12",
      "Content-Length: 5, 6", "Content-Length: +5", "Content-Length: 999999999999999999",
      "Content-Length: 9999999999999999999", "Host: b.example", "Host: [::1]:80", "Host:", "Host: a b",
      "Connection: close", " obs-fold", "\tfold", "X: a\u0000b", "X: a\u000bb", "X-Big: " + "x".repeat(300),
      "Expect: 100-continue", ": empty-name", "NoColon", "X\u00e9: 1", "X-A:\u00ff\u00fe");
  private static final List<String> VERSIONS = List.of("HTTP/1.0", "HTTP/1.1", "HTTP/1.2", "HTTP/2.0", "HTTP/1.10",
      "HTTP/0.9", "http/1.1", "HTTP/1", "HTTP/9.9");
  private static final byte[] SPECIAL = {'\r', '\n', 0, ' ', '\t', ':', ',', 0x7F, (byte) 0xE9, 0x0B, 0x0C, '"', '(',
      ';', '/', '?', '#', '@', '[', ']'};

  private static long seed() {
    String s = System.getProperty("hopwise.seed");
    if (s == null || s.isBlank()) {
      return DEFAULT_SEED;
    }
    if (s.strip().equals("random")) {
      long fresh = new Random().nextLong();
      System.out.println("RequestHeadParserFuzzTest: -Dhopwise.seed=random chose seed " + fresh);
      return fresh;
    }
    return Long.parseLong(s.strip());
  }

  // ---------------------------------------------------------------- byte helpers

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }

  /** Java-escaped ISO-8859-1, so a failing input can be pasted into a table test. */
  static String escape(byte[] b, int length) {
    StringBuilder s = new StringBuilder(length + 16).append('"');
    for (int i = 0; i < length; i++) {
      int c = b[i] & 0xFF;
      switch (c) {
        case '\r' -> s.append("\\r");
        case '\n' -> s.append("\\n");
        case '\t' -> s.append("\\t");
        case '"' -> s.append("\\\"");
        case '\\' -> s.append("\\\\");
        default -> {
          if (c >= 0x20 && c < 0x7F) {
            s.append((char) c);
          } else {
            s.append(String.format("\\u%04x", c));
          }
        }
      }
    }
    return s.append('"').toString();
  }

  private static int indexOf(byte[] b, int length, byte[] needle, int from) {
    outer:
    for (int i = Math.max(0, from); i + needle.length <= length; i++) {
      for (int k = 0; k < needle.length; k++) {
        if (b[i + k] != needle[k]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  /** Where the request line starts: after the CRLFs the parser ignores (RFC 9112 2.2). */
  private static int afterLeadingCrlfs(byte[] b, int length) {
    int start = 0;
    while (start + 1 < length && b[start] == '\r' && b[start + 1] == '\n') {
      start += 2;
    }
    return start;
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  private static byte[] insert(byte[] b, int at, byte[] what) {
    byte[] out = new byte[b.length + what.length];
    System.arraycopy(b, 0, out, 0, at);
    System.arraycopy(what, 0, out, at, what.length);
    System.arraycopy(b, at, out, at + what.length, b.length - at);
    return out;
  }

  private static byte[] delete(byte[] b, int from, int to) {
    byte[] out = new byte[b.length - (to - from)];
    System.arraycopy(b, 0, out, 0, from);
    System.arraycopy(b, to, out, from, b.length - to);
    return out;
  }

  /** Start offsets of the lines (split after each LF); the last line may be unterminated. */
  private static List<int[]> lines(byte[] b) {
    List<int[]> lines = new ArrayList<>();
    int p = 0;
    for (int i = 0; i < b.length; i++) {
      if (b[i] == '\n') {
        lines.add(new int[] {p, i + 1});
        p = i + 1;
      }
    }
    if (p < b.length) {
      lines.add(new int[] {p, b.length});
    }
    return lines;
  }

  /** A position just after some LF (or 0): where a whole line can go. */
  private static int lineBoundary(Random r, byte[] b) {
    List<int[]> lines = lines(b);
    return lines.isEmpty() ? 0 : lines.get(r.nextInt(lines.size()))[r.nextInt(4) == 0 ? 0 : 1];
  }

  // ---------------------------------------------------------------- mutations

  private static byte[] mutate(Random r, byte[] in, byte[] other) {
    byte[] b = in;
    int n = b.length;
    int pos = n == 0 ? 0 : r.nextInt(n);
    switch (r.nextInt(17)) {
      case 0: // flip one bit
        if (n > 0) {
          b = b.clone();
          b[pos] ^= (byte) (1 << r.nextInt(8));
        }
        return b;
      case 1: // overwrite a byte with anything
        if (n > 0) {
          b = b.clone();
          b[pos] = (byte) r.nextInt(256);
        }
        return b;
      case 2: // insert a random byte
        return insert(b, r.nextInt(n + 1), new byte[] {(byte) r.nextInt(256)});
      case 3: // insert CR, LF, NUL, SP, HTAB, ':', ',' and friends
      case 4:
        return insert(b, r.nextInt(n + 1), new byte[] {SPECIAL[r.nextInt(SPECIAL.length)]});
      case 5: // delete 1..4 bytes
        return n == 0 ? b : delete(b, pos, Math.min(n, pos + 1 + r.nextInt(4)));
      case 6: { // duplicate a line
        List<int[]> lines = lines(b);
        if (lines.isEmpty()) {
          return b;
        }
        int[] l = lines.get(r.nextInt(lines.size()));
        return insert(b, l[1], Arrays.copyOfRange(b, l[0], l[1]));
      }
      case 7: { // drop a line, or swap two
        List<int[]> lines = lines(b);
        if (lines.size() < 2) {
          return b;
        }
        int[] l = lines.get(r.nextInt(lines.size()));
        if (r.nextBoolean()) {
          return delete(b, l[0], l[1]);
        }
        int[] m = lines.get(r.nextInt(lines.size()));
        if (m[0] <= l[0]) {
          int[] t = l;
          l = m;
          m = t;
        }
        if (l[1] > m[0]) {
          return b;
        }
        byte[] out = new byte[n];
        int p = 0;
        for (int[] part : List.of(new int[] {0, l[0]}, m, new int[] {l[1], m[0]}, l, new int[] {m[1], n})) {
          System.arraycopy(b, part[0], out, p, part[1] - part[0]);
          p += part[1] - part[0];
        }
        return out;
      }
      case 8: // truncate
        return Arrays.copyOf(b, pos);
      case 9: { // splice: a prefix of this head and a suffix of another
        int cut = r.nextBoolean() ? lineBoundary(r, b) : pos;
        int from = other.length == 0 ? 0 : (r.nextBoolean() ? lineBoundary(r, other) : r.nextInt(other.length));
        return concat(Arrays.copyOf(b, cut), Arrays.copyOfRange(other, from, other.length));
      }
      case 10: { // change the digits of a number (Content-Length, port, version)
        List<Integer> digits = new ArrayList<>();
        for (int i = 0; i < n; i++) {
          if (b[i] >= '0' && b[i] <= '9') {
            digits.add(i);
          }
        }
        if (digits.isEmpty()) {
          return b;
        }
        int at = digits.get(r.nextInt(digits.size()));
        switch (r.nextInt(4)) {
          case 0:
            b = b.clone();
            b[at] = (byte) ('0' + r.nextInt(10));
            return b;
          case 1:
            return insert(b, at, bytes(Integer.toString(r.nextInt(100_000))));
          case 2:
            return insert(b, at, bytes(r.nextBoolean() ? "-" : "+"));
          default:
            return insert(b, at + 1, bytes(List.of(", ", ",", " ", "0", ".0", "x").get(r.nextInt(6))));
        }
      }
      case 11: { // change letter case of a run
        b = b.clone();
        int end = Math.min(n, pos + 1 + r.nextInt(12));
        for (int i = pos; i < end; i++) {
          char c = (char) (b[i] & 0xFF);
          if (c < 0x80 && Character.isLetter(c)) {
            b[i] = (byte) (Character.isUpperCase(c) ? Character.toLowerCase(c) : Character.toUpperCase(c));
          }
        }
        return b;
      }
      case 12: // insert a hostile field line at a line boundary
        return insert(b, lineBoundary(r, b), bytes(HOSTILE_LINES.get(r.nextInt(HOSTILE_LINES.size())) + "\r\n"));
      case 13: { // make one CRLF a bare LF or a bare CR
        int at = indexOf(b, n, new byte[] {'\r', '\n'}, pos);
        if (at < 0) {
          at = indexOf(b, n, new byte[] {'\r', '\n'}, 0);
        }
        return at < 0 ? b : delete(b, r.nextBoolean() ? at : at + 1, (r.nextBoolean() ? at : at + 1) + 1);
      }
      case 14: { // replace the HTTP version
        int at = indexOf(b, n, bytes("HTTP/1."), 0);
        if (at < 0 || at + 8 > n) {
          return b;
        }
        return concat(concat(Arrays.copyOf(b, at), bytes(VERSIONS.get(r.nextInt(VERSIONS.size())))),
            Arrays.copyOfRange(b, at + 8, n));
      }
      case 15: { // grow something towards a limit
        byte[] run = new byte[20 + r.nextInt(400)];
        Arrays.fill(run, (byte) (r.nextBoolean() ? 'a' : ' '));
        return insert(b, r.nextInt(n + 1), run);
      }
      default: { // a CRLF or empty line somewhere
        byte[] what = r.nextBoolean() ? bytes("\r\n") : CRLFCRLF;
        return insert(b, r.nextInt(n + 1), what);
      }
    }
  }

  // ---------------------------------------------------------------- properties

  /** Per-input context for failure messages: everything needed to reproduce it. */
  private record Input(int iteration, HeadLimits limits, byte[] bytes) {
    String describe() {
      return "seed=" + SEED + " iteration=" + iteration + " (rerun: -Dhopwise.seed=" + SEED + ") limits=" + limits
          + "\n  input (" + bytes.length + " bytes): " + escape(bytes, bytes.length);
    }
  }

  /** {@code detail} may be a Supplier, so that nothing is formatted unless a property fails. */
  private static Supplier<String> ctx(Input in, String property, Object detail) {
    return () -> property + " failed: " + in.describe()
        + (detail == null ? "" : "\n  " + (detail instanceof Supplier<?> s ? s.get() : detail));
  }

  private static ParseOutcome<RequestHead> parse(Input in, HeadLimits limits, byte[] b, int length, String what) {
    try {
      return new RequestHeadParser(limits).parse(b, length);
    } catch (Throwable t) {
      fail("parser threw on " + what + " (" + length + " of " + b.length + " bytes): " + in.describe(), t);
      throw new AssertionError(t); // not reached
    }
  }

  /** Counts of outcomes, so the run can show (and check) that it explored all three. */
  private static final class Stats {
    int parsed;
    int refused;
    int needMore;
    final int[] byStatus = new int[600];
  }

  private static void check(Input in, Random r, Stats stats) {
    byte[] b = in.bytes();
    int length = b.length;
    HeadLimits limits = in.limits();
    ParseOutcome<RequestHead> o = parse(in, limits, b, length, "the input");
    Supplier<String> got = () -> "outcome: " + o;

    // Only the first `length` bytes count: the same bytes in a bigger buffer, followed by anything.
    byte[] padded = Arrays.copyOf(b, length + 1 + r.nextInt(16));
    for (int i = length; i < padded.length; i++) {
      padded[i] = r.nextBoolean() ? SPECIAL[r.nextInt(SPECIAL.length)] : (byte) r.nextInt(256);
    }
    assertEquals(o, parse(in, limits, padded, length, "the input in a larger buffer"),
        ctx(in, "bytes past length are ignored", got));
    // The one-pass paths for plain heads decide exactly as the full checks do, reason included.
    assertEquals(o, new RequestHeadParser(limits, false).parse(b, length),
        ctx(in, "the quick paths agree with the full checks", got));

    int start = afterLeadingCrlfs(b, length);
    if (o instanceof ParseOutcome.Parsed<RequestHead> p) {
      stats.parsed++;
      checkParsed(in, p, start);
    } else if (o instanceof ParseOutcome.Refused<RequestHead> refused) {
      stats.refused++;
      Rejection rej = refused.rejection();
      stats.byStatus[Math.min(599, Math.max(0, rej.status()))]++;
      assertTrue(REFUSAL_STATUSES.contains(rej.status()), ctx(in, "refusal status in " + REFUSAL_STATUSES, rej));
      assertTrue(rej.reason() != null && !rej.reason().isBlank(), ctx(in, "refusal has a reason", rej));
    } else {
      stats.needMore++;
      // No complete head is there ...
      assertEquals(-1, indexOf(b, length, CRLFCRLF, start),
          ctx(in, "NeedMore only without CRLFCRLF after the leading CRLFs", got));
      // ... and an empty line ends the wait, unless all we have are ignored leading CRLFs.
      if (start < length) {
        byte[] ended = concat(b, CRLFCRLF);
        ParseOutcome<RequestHead> after = parse(in, limits, ended, ended.length, "the input + CRLFCRLF");
        assertTrue(!(after instanceof ParseOutcome.NeedMore), ctx(in, "NeedMore + CRLFCRLF is decided", after));
      }
    }

    // Split independence: a prefix never decides differently from the whole.
    for (int k = 0; k < 3 && length > 0; k++) {
      int cut = k == 0 && o instanceof ParseOutcome.Parsed<RequestHead> p ? p.consumed() - 1 : r.nextInt(length);
      ParseOutcome<RequestHead> part = parse(in, limits, b, cut, "a prefix");
      Supplier<String> why = ctx(in, "prefix of " + cut + " bytes agrees with the whole",
          (Supplier<String>) () -> "whole: " + o + "\n  prefix: " + part);
      if (o instanceof ParseOutcome.Parsed<RequestHead> p) {
        if (cut < p.consumed()) {
          assertInstanceOf(ParseOutcome.NeedMore.class, part, why);
        } else {
          assertEquals(o, part, why);
        }
      } else if (o instanceof ParseOutcome.Refused) {
        assertTrue(!(part instanceof ParseOutcome.Parsed), why);
      } else {
        assertInstanceOf(ParseOutcome.NeedMore.class, part, why);
      }
    }
  }

  private static void checkParsed(Input in, ParseOutcome.Parsed<RequestHead> p, int start) {
    byte[] b = in.bytes();
    RequestHead head = p.head();
    int consumed = p.consumed();
    Supplier<String> got = () -> "parsed: " + head + ", consumed " + consumed;

    // (i) consumed is in bounds and ends the first CRLFCRLF after the leading CRLFs.
    assertTrue(consumed >= start + 4 && consumed <= b.length, ctx(in, "(i) consumed within bounds", got));
    assertEquals(consumed - 4, indexOf(b, b.length, CRLFCRLF, start),
        ctx(in, "(i) consumed ends the first CRLFCRLF", got));

    // (iii) no CR, LF or NUL anywhere; names and method are tokens; the target has no SP or CTL.
    assertTrue(Syntax.isToken(head.method()), ctx(in, "(iii) method is a token", got));
    assertTrue(!head.target().isEmpty() && head.target().chars().allMatch(c -> c > 0x20 && c < 0x7F),
        ctx(in, "(iii) target is visible ASCII", got));
    for (HttpField f : head.fields()) {
      assertTrue(Syntax.isToken(f.name()), ctx(in, "(iii) field name is a token", f));
      assertTrue(f.value().chars().noneMatch(c -> c == '\r' || c == '\n' || c == 0),
          ctx(in, "(iii) no CR, LF or NUL in a value", f));
      assertTrue(f.value().chars().allMatch(c -> c == '\t' || (c >= 0x20 && c != 0x7F && c <= 0xFF)),
          ctx(in, "(iii) value is field-vchar, SP, HTAB or obs-text", f));
      assertTrue(f.value().isEmpty() || (!Syntax.isWhitespace(f.value().charAt(0))
          && !Syntax.isWhitespace(f.value().charAt(f.value().length() - 1))), ctx(in, "(iii) value trimmed", f));
    }
    assertTrue(head.fields().size() <= in.limits().maxFields(), ctx(in, "field count within the limit", got));

    // (iv) framing agrees with the fields.
    HttpFields fields = head.fields();
    boolean te = fields.contains("Transfer-Encoding");
    boolean cl = fields.contains("Content-Length");
    List<String> clValues = new ArrayList<>();
    for (String line : fields.getAll("Content-Length")) {
      for (String e : line.split(",", -1)) {
        clValues.add(e.strip());
      }
    }
    Supplier<String> framing = ctx(in, "(iv) framing agrees with the fields", got);
    switch (head.framing().kind()) {
      case CHUNKED -> {
        assertTrue(te && !cl, framing);
        assertEquals(HttpVersion.HTTP_1_1, head.version(), framing);
        List<String> codings = fields.tokens("Transfer-Encoding");
        assertEquals(List.of("chunked"), codings, framing);
      }
      case LENGTH -> {
        assertTrue(cl && !te && head.framing().length() > 0, framing);
        for (String v : clValues) {
          assertTrue(Syntax.isDigits(v) && v.length() <= 18 && Long.parseLong(v) == head.framing().length(), framing);
        }
      }
      case NONE -> {
        assertTrue(!te, framing);
        for (String v : clValues) {
          assertTrue(Syntax.isDigits(v) && v.length() <= 18 && Long.parseLong(v) == 0, framing);
        }
      }
      case UNTIL_CLOSE -> fail(framing.get() + " (a request is never framed by close)");
    }
    int hosts = fields.getAll("Host").size();
    assertTrue(head.version() == HttpVersion.HTTP_1_1 ? hosts == 1 : hosts <= 1, ctx(in, "one Host (B7)", got));

    // (ii) the canonical form of the head parses again, strictly, to the same head.
    StringBuilder canonical = new StringBuilder()
        .append(head.method()).append(' ').append(head.target()).append(' ').append(head.version().text()).append("\r\n");
    for (HttpField f : fields) {
      canonical.append(f.name()).append(": ").append(f.value()).append("\r\n");
    }
    byte[] again = bytes(canonical.append("\r\n").toString());
    ParseOutcome<RequestHead> re = parse(in, REPARSE, again, again.length, "the canonical re-serialisation");
    Supplier<String> why = ctx(in, "(ii) strict re-parse of the canonical form agrees",
        (Supplier<String>) () -> got.get() + "\n  canonical: " + escape(again, again.length) + "\n  re-parsed: " + re);
    ParseOutcome.Parsed<RequestHead> rp = assertInstanceOf(ParseOutcome.Parsed.class, re, why);
    assertEquals(head, rp.head(), why);
    assertEquals(again.length, rp.consumed(), why);
  }

  @Test
  void corpusIsValid() {
    for (String s : CORPUS) {
      byte[] b = bytes(s);
      ParseOutcome<RequestHead> o = new RequestHeadParser(HeadLimits.DEFAULT).parse(b, b.length);
      assertInstanceOf(ParseOutcome.Parsed.class, o, () -> "corpus entry " + escape(b, b.length) + ": " + o);
    }
  }

  @Test
  void mutatedHeadsNeverThrowAndParseConsistently() {
    Random r = new Random(SEED);
    List<byte[]> corpus = CORPUS.stream().map(RequestHeadParserFuzzTest::bytes).toList();
    Stats[] stats = new Stats[LIMITS.size()];
    for (int l = 0; l < stats.length; l++) {
      stats[l] = new Stats();
    }
    long t0 = System.nanoTime();
    for (int i = 0; i < ITERATIONS; i++) {
      byte[] b = corpus.get(r.nextInt(corpus.size()));
      int mutations = r.nextInt(10) == 0 ? 0 : 1 + r.nextInt(r.nextBoolean() ? 2 : 5);
      for (int m = 0; m < mutations; m++) {
        b = mutate(r, b, corpus.get(r.nextInt(corpus.size())));
      }
      for (int l = 0; l < LIMITS.size(); l++) {
        check(new Input(i, LIMITS.get(l), b), r, stats[l]);
      }
    }
    long ms = (System.nanoTime() - t0) / 1_000_000;
    StringBuilder report = new StringBuilder();
    for (int l = 0; l < stats.length; l++) {
      Stats s = stats[l];
      report.append(String.format("%n  %s: parsed %d, refused %d, need more %d; 400:%d 414:%d 431:%d 501:%d 505:%d",
          LIMITS.get(l), s.parsed, s.refused, s.needMore, s.byStatus[400], s.byStatus[414], s.byStatus[431],
          s.byStatus[501], s.byStatus[505]));
    }
    System.out.printf(Locale.ROOT, "RequestHeadParserFuzzTest: %d inputs x %d limits, seed %d, %d ms%s%n", ITERATIONS,
        LIMITS.size(), SEED, ms, report);
    // The mutations must reach all three outcomes, or the run proves little.
    for (Stats s : stats) {
      assertTrue(s.parsed > ITERATIONS / 20 && s.refused > ITERATIONS / 5 && s.needMore > ITERATIONS / 100,
          "fuzz run explored too little (seed " + SEED + "):" + report);
    }
  }
}
