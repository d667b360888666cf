package io.hopwise.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.hopwise.http.HeaderRules.Outcome;
import io.hopwise.http.HeaderRules.RequestFacts;
import io.hopwise.http.HopByHop.Reason;
import io.hopwise.http.HopByHop.Removed;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Property tests for {@link HeaderRules} (http-rules A1-A5, D1) over randomly generated header
 * lists, with a seeded {@link Random} and no extra dependency (issue 5).
 *
 * <p>The expectations are computed from what the generator put into the list (which names it
 * wrote into Connection and Proxy-Connection, whether a TE line carries {@code trailers}) and from
 * this class's own copy of the fixed hop-by-hop list, never by calling {@link HopByHop}: a bug in
 * the code under test cannot also bend the oracle.
 *
 * <p>Reproduce a failure with the seed printed in its message: {@code ./mvnw -o -pl proxy-core test
 * -Dtest=HeaderRulesPropertyTest -Dhopwise.seed=N}. {@code -Dhopwise.seed=random} picks a fresh
 * seed (printed); {@code -Dhopwise.cases=N} changes the number of generated cases per property.
 */
class HeaderRulesPropertyTest {
  private static final String US = "hopwise";
  private static final RequestFacts FACTS = new RequestFacts(HttpVersion.HTTP_1_1, null, US);
  private static final HttpField OUR_VIA = new HttpField("Via", "1.1 hopwise");
  private static final HttpField TE_TRAILERS = new HttpField("TE", "trailers");
  private static final HttpField CONNECTION_TE = new HttpField("Connection", "TE");

  private static final long DEFAULT_SEED = 0x5EED_4_B0B5L;
  private static final long SEED = seed();
  private static final int CASES = Integer.getInteger("hopwise.cases", 2000);

  /** http-rules A2, lower-case: removed whether named or not. Kept here, not read from HopByHop. */
  private static final List<String> FIXED_LIST = List.of("connection", "proxy-connection", "keep-alive", "te",
      "transfer-encoding", "upgrade", "trailer", "http2-settings", "proxy-authorization", "proxy-authenticate");
  private static final Set<String> FIXED = Set.copyOf(FIXED_LIST);
  private static final Set<String> MEANT_FOR_PROXY = Set.of("proxy-authorization", "proxy-authenticate");
  /** Fields a trailer section must not carry (RFC 9110 6.5.1), as HeaderRules documents them. */
  private static final Set<String> NOT_IN_TRAILERS = Set.of("content-length", "host", "content-type",
      "content-encoding", "content-range");

  /** Never nominated here: refusing them is HeaderRulesTest's job (http-rules A5). */
  private static final Set<String> PROTECTED = Set.of("content-length", "transfer-encoding", "host", "via",
      "forwarded");

  /** End-to-end names a real request or response carries; a case picks a few of them. */
  private static final List<String> COMMON = List.of("Accept", "Accept-Encoding", "Accept-Language", "Cookie",
      "Set-Cookie", "User-Agent", "Host", "Content-Type", "Content-Length", "Content-Encoding", "Content-Range",
      "Cache-Control", "Authorization", "Date", "ETag", "Via", "Forwarded", "X-Forwarded-For", "X-Forwarded-Proto",
      "X-Request-Id", "WWW-Authenticate", "Keep-Alive-Foo", "X-Connection", "TE-X", "Trailers");
  /** Tokens that appear in real Connection lines besides field names. */
  private static final List<String> CONNECTION_WORDS = List.of("close", "keep-alive", "Keep-Alive", "TE", "Upgrade",
      "Trailer", "HTTP2-Settings", "upgrade", "x-absent", "X-Not-Present");
  /** TE values; the generator decides "trailers" by its own list elements, see {@link #hasTrailers}. */
  private static final List<String> TE_VALUES = List.of("trailers", "Trailers", "TRAILERS", "gzip", "deflate;q=0.5",
      "trailers, deflate;q=0.5", "gzip, trailers", "", " , ,trailers, ", "trailersx", "x-trailers", "chunked",
      "deflate, gzip;q=0.2", ",,");
  private static final String TCHAR = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$%&'*+-.^_`|~";

  private static long seed() {
    String s = System.getProperty("hopwise.seed");
    if (s == null || s.isBlank()) {
      return DEFAULT_SEED;
    }
    if (s.strip().equals("random")) {
      long fresh = new Random().nextLong();
      System.out.println("HeaderRulesPropertyTest: -Dhopwise.seed=random chose seed " + fresh);
      return fresh;
    }
    return Long.parseLong(s.strip());
  }

  // ---------------------------------------------------------------- generated case

  /** A generated header list and what the generator knows about it. */
  private record Case(HttpFields fields, Set<String> connection, Set<String> proxyConnection, boolean teTrailers) {
    boolean nominated(String name) {
      String lower = lower(name);
      return connection.contains(lower) || proxyConnection.contains(lower);
    }

    /** Dropped by the request/response rules: nominated or on the fixed list. */
    boolean dropped(HttpField f) {
      return nominated(f.name()) || FIXED.contains(lower(f.name()));
    }

    /** The reason the strip stage gives: a nomination wins over the fixed list (HeaderRulesTest). */
    Reason reason(HttpField f) {
      String lower = lower(f.name());
      if (connection.contains(lower)) {
        return Reason.NAMED_IN_CONNECTION;
      }
      if (proxyConnection.contains(lower)) {
        return Reason.NAMED_IN_PROXY_CONNECTION;
      }
      if (MEANT_FOR_PROXY.contains(lower)) {
        return Reason.MEANT_FOR_PROXY;
      }
      return FIXED.contains(lower) ? Reason.ALWAYS_HOP_BY_HOP : null;
    }
  }

  private static String lower(String s) {
    return s.toLowerCase(Locale.ROOT);
  }

  private static String randomCase(Random r, String s) {
    switch (r.nextInt(4)) {
      case 0:
        return s;
      case 1:
        return lower(s);
      case 2:
        return s.toUpperCase(Locale.ROOT);
      default:
        StringBuilder b = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
          b.append(r.nextBoolean() ? Character.toUpperCase(c) : Character.toLowerCase(c));
        }
        return b.toString();
    }
  }

  private static String token(Random r, int minLen, int maxLen) {
    int n = minLen + r.nextInt(maxLen - minLen + 1);
    StringBuilder b = new StringBuilder(n);
    for (int i = 0; i < n; i++) {
      b.append(TCHAR.charAt(r.nextInt(TCHAR.length())));
    }
    return b.toString();
  }

  private static String value(Random r) {
    switch (r.nextInt(8)) {
      case 0:
        return "";
      case 1:
        return "a, b,,c";
      case 2:
        return "text/html; q=0.9, */*;q=0.1";
      case 3:
        return "caf\u00e9 \t x";
      default:
        StringBuilder b = new StringBuilder();
        int n = 1 + r.nextInt(16);
        for (int i = 0; i < n; i++) {
          char c = (char) (0x21 + r.nextInt(0x5E));
          b.append(c);
          if (i + 1 < n && r.nextInt(6) == 0) {
            b.append(' ');
          }
        }
        return b.toString();
    }
  }

  /** True when one comma element of the value is exactly {@code trailers}, as RFC 9110 10.1.4 lists it. */
  private static boolean hasTrailers(String teValue) {
    for (String element : teValue.split(",", -1)) {
      if (lower(element.strip()).equals("trailers")) {
        return true;
      }
    }
    return false;
  }

  private static boolean protectedName(String lower) {
    return PROTECTED.contains(lower) || lower.startsWith("x-forwarded-");
  }

  /** Writes a Connection-style value: the tokens with random OWS and empty elements between them. */
  private static String listValue(Random r, List<String> tokens) {
    StringBuilder b = new StringBuilder();
    if (r.nextInt(5) == 0) {
      b.append(r.nextBoolean() ? ", ," : ",");
    }
    for (int i = 0; i < tokens.size(); i++) {
      if (i > 0) {
        b.append(ows(r)).append(',').append(ows(r));
        if (r.nextInt(5) == 0) {
          b.append(',').append(ows(r));
        }
      }
      b.append(tokens.get(i));
    }
    if (r.nextInt(5) == 0) {
      b.append(ows(r)).append(',');
    }
    return b.toString().strip(); // HttpField values arrive trimmed from the parser
  }

  private static String ows(Random r) {
    switch (r.nextInt(5)) {
      case 0:
        return " ";
      case 1:
        return "\t";
      case 2:
        return " \t ";
      default:
        return "";
    }
  }

  /**
   * A random header list: end-to-end lines from a small per-case pool (so names repeat, in varied
   * case), each fixed hop-by-hop field now and then, TE lines with and without trailers, and
   * Connection / Proxy-Connection lines naming some present and some absent fields, at most
   * {@code maxTokens} tokens in all, never a protected name. {@code extraNames} joins the pool.
   */
  private static Case generate(Random r, int maxTokens, List<String> extraNames) {
    List<String> pool = new ArrayList<>();
    int poolSize = 1 + r.nextInt(7);
    for (int i = 0; i < poolSize; i++) {
      String name;
      switch (r.nextInt(3)) {
        case 0:
          name = COMMON.get(r.nextInt(COMMON.size()));
          break;
        case 1:
          name = "X-Custom-" + token(r, 1, 6);
          break;
        default:
          name = token(r, 1, 12);
      }
      if (!FIXED.contains(lower(name))) {
        pool.add(name);
      }
    }
    pool.addAll(extraNames);
    List<HttpField> lines = new ArrayList<>();
    if (!pool.isEmpty()) {
      int n = r.nextInt(16);
      for (int i = 0; i < n; i++) {
        lines.add(new HttpField(randomCase(r, pool.get(r.nextInt(pool.size()))), value(r)));
      }
    }
    boolean teTrailers = false;
    for (String fixed : FIXED_LIST) { // a List: Set.of's order changes from one JVM to the next
      if (fixed.equals("connection") || fixed.equals("proxy-connection") || r.nextInt(10) >= 3) {
        continue; // Connection and Proxy-Connection are written below, with their tokens
      }
      int repeats = 1 + (r.nextInt(4) == 0 ? 1 : 0);
      for (int k = 0; k < repeats; k++) {
        String v = fixed.equals("te") ? TE_VALUES.get(r.nextInt(TE_VALUES.size())) : value(r);
        teTrailers |= fixed.equals("te") && hasTrailers(v);
        lines.add(new HttpField(randomCase(r, fixed), v.strip()));
      }
    }
    // Nominations: names from the pool (present or not), connection words, fresh absent names.
    Set<String> connection = new HashSet<>();
    Set<String> proxyConnection = new HashSet<>();
    int budget = r.nextInt(maxTokens + 1);
    int connectionLines = r.nextInt(4);
    int proxyLines = r.nextInt(3);
    for (int l = 0; l < connectionLines + proxyLines; l++) {
      boolean proxy = l >= connectionLines;
      int take = l == connectionLines + proxyLines - 1 ? budget : r.nextInt(budget + 1);
      List<String> tokens = new ArrayList<>();
      while (tokens.size() < take) {
        String t;
        int pick = r.nextInt(10);
        if (pick < 6 && !pool.isEmpty()) {
          t = pool.get(r.nextInt(pool.size()));
        } else if (pick < 9) {
          t = CONNECTION_WORDS.get(r.nextInt(CONNECTION_WORDS.size()));
        } else {
          t = "x-absent-" + token(r, 1, 4);
        }
        if (protectedName(lower(t))) {
          continue;
        }
        tokens.add(randomCase(r, t));
      }
      budget -= take;
      for (String t : tokens) {
        (proxy ? proxyConnection : connection).add(lower(t));
      }
      lines.add(new HttpField(randomCase(r, proxy ? "Proxy-Connection" : "Connection"), listValue(r, tokens)));
    }
    // Repeated lines: copy a few existing lines again (not Connection lines: that would exceed the
    // token budget, and several Connection lines are generated above anyway).
    int dups = lines.isEmpty() ? 0 : r.nextInt(3);
    for (int i = 0; i < dups; i++) {
      HttpField f = lines.get(r.nextInt(lines.size()));
      if (!f.is("Connection") && !f.is("Proxy-Connection")) {
        lines.add(f);
      }
    }
    Collections.shuffle(lines, r);
    return new Case(HttpFields.of(lines), Set.copyOf(connection), Set.copyOf(proxyConnection), teTrailers);
  }

  // ---------------------------------------------------------------- properties

  private static Supplier<String> context(String property, int i, Case c, Object output) {
    return () -> property + " failed: seed=" + SEED + " case=" + i + " (rerun: -Dhopwise.seed=" + SEED + ")"
        + "\n  input:     " + c.fields()
        + "\n  Connection nominates " + c.connection() + ", Proxy-Connection nominates " + c.proxyConnection()
        + ", TE has trailers: " + c.teTrailers()
        + "\n  output:    " + output;
  }

  private static List<HttpField> filter(List<HttpField> fields, Predicate<HttpField> keep) {
    return fields.stream().filter(keep).toList();
  }

  /** Properties (a)-(e) for one outcome of the request or response rules. */
  private static void checkStripped(String which, int i, Case c, HttpFields before, Outcome o, boolean reAddsTe) {
    assertTrue(!o.rejected() && o.rejection() == null, context(which + ": not rejected", i, c, o.rejection()));
    assertNotNull(o.fields(), context(which + ": has fields", i, c, null));
    List<HttpField> out = o.fields().asList();

    // (c) the input is unchanged.
    assertEquals(before, c.fields(), context(which + " (c) input unchanged", i, c, out));
    assertEquals(before.asList(), c.fields().asList(), context(which + " (c) input unchanged", i, c, out));

    // (e) our Via is the last line.
    assertTrue(!out.isEmpty() && out.get(out.size() - 1).equals(OUR_VIA),
        context(which + " (e) ends with 'Via: 1.1 hopwise'", i, c, out));

    // (a) no fixed hop-by-hop and no nominated field survives, except the exact lines we add:
    // TE: trailers + Connection: TE (requests, iff the client's TE had trailers) and our Via.
    List<HttpField> added = new ArrayList<>();
    if (reAddsTe && c.teTrailers()) {
      added.add(TE_TRAILERS);
      added.add(CONNECTION_TE);
    }
    added.add(OUR_VIA);
    List<HttpField> tail = out.subList(Math.max(0, out.size() - added.size()), out.size());
    assertEquals(added, tail, context(which + " (a) re-added lines, exactly, after the stripped fields", i, c, out));
    List<HttpField> body = out.subList(0, out.size() - added.size());
    assertEquals(List.of(), filter(body, f -> FIXED.contains(lower(f.name()))),
        context(which + " (a) no fixed hop-by-hop field survives", i, c, out));
    assertEquals(List.of(), filter(body, f -> c.nominated(f.name())),
        context(which + " (a) no nominated field survives", i, c, out));

    // (b) every end-to-end field that was not nominated survives: same name case, value, order, repeats.
    Predicate<HttpField> endToEnd = f -> !c.dropped(f);
    assertEquals(filter(c.fields().asList(), endToEnd), filter(body, endToEnd),
        context(which + " (b) end-to-end fields kept in order", i, c, out));

    // (d) removed names exactly the dropped input lines, in order, each with its reason.
    List<Removed> expectedRemoved = new ArrayList<>();
    for (HttpField f : c.fields()) {
      if (c.dropped(f)) {
        expectedRemoved.add(new Removed(f.name(), c.reason(f)));
      }
    }
    assertEquals(expectedRemoved.stream().map(Removed::name).toList(), o.removed().stream().map(Removed::name).toList(),
        context(which + " (d) removed lists the dropped lines in order", i, c, o.removed()));
    assertEquals(expectedRemoved, o.removed(), context(which + " (d) removal reasons", i, c, o.removed()));
  }

  @Test
  void requestAndResponseRulesKeepEndToEndAndDropHopByHop() {
    Random r = new Random(SEED);
    long t0 = System.nanoTime();
    int withTrailers = 0;
    int withNominations = 0;
    int removedLines = 0;
    for (int i = 0; i < CASES; i++) {
      Case c = generate(r, HeaderRules.MAX_CONNECTION_TOKENS, List.of());
      HttpFields before = HttpFields.of(new ArrayList<>(c.fields().asList()));

      Outcome req = HeaderRules.request(c.fields(), FACTS);
      checkStripped("request", i, c, before, req, true);
      Outcome resp = HeaderRules.response(c.fields(), HttpVersion.HTTP_1_1, US);
      checkStripped("response", i, c, before, resp, false);

      withTrailers += c.teTrailers() ? 1 : 0;
      withNominations += c.connection().size() + c.proxyConnection().size() > 0 ? 1 : 0;
      removedLines += req.removed().size();
    }
    // The generator must actually exercise what the properties are about.
    assertTrue(withTrailers > CASES / 20, "too few cases with TE: trailers: " + withTrailers + " (seed " + SEED + ")");
    assertTrue(withNominations > CASES / 2, "too few cases with nominations: " + withNominations + " (seed " + SEED + ")");
    System.out.printf("HeaderRulesPropertyTest: %d request + %d response cases, seed %d, %d with TE trailers,"
        + " %d with nominations, %d lines removed, %d ms%n", CASES, CASES, SEED, withTrailers, withNominations,
        removedLines, (System.nanoTime() - t0) / 1_000_000);
  }

  @Test
  void moreThanTenConnectionTokensAreRefusedAndNothingIsForwarded() {
    Random r = new Random(SEED ^ 0x70CE45L);
    for (int i = 0; i < CASES / 4; i++) {
      Case base = generate(r, HeaderRules.MAX_CONNECTION_TOKENS, List.of());
      // Top the case up to 11..20 listed tokens (repeats and absent names count as listed).
      int listed = 0;
      for (HttpField f : base.fields()) {
        if (f.is("Connection") || f.is("Proxy-Connection")) {
          for (String e : f.value().split(",", -1)) {
            listed += e.isBlank() ? 0 : 1;
          }
        }
      }
      int extra = HeaderRules.MAX_CONNECTION_TOKENS + 1 - listed + r.nextInt(10);
      List<String> tokens = new ArrayList<>();
      for (int k = 0; k < extra; k++) {
        tokens.add(r.nextInt(3) == 0 ? "close" : "x-t" + r.nextInt(5));
      }
      List<HttpField> lines = new ArrayList<>(base.fields().asList());
      lines.add(r.nextInt(lines.size() + 1),
          new HttpField(r.nextBoolean() ? "Connection" : "proxy-connection", listValue(r, tokens)));
      Case c = new Case(HttpFields.of(lines), base.connection(), base.proxyConnection(), base.teTrailers());
      HttpFields before = HttpFields.of(new ArrayList<>(lines));
      Outcome req = HeaderRules.request(c.fields(), FACTS);
      Outcome resp = HeaderRules.response(c.fields(), HttpVersion.HTTP_1_1, US);
      for (Outcome o : List.of(req, resp)) {
        int status = o == req ? 400 : 502;
        assertTrue(o.rejected() && o.rejection().status() == status,
            context("token cap refused with " + status, i, c, o.rejection()));
        assertTrue(o.rejection().reason().contains("too many Connection tokens"), context("cap reason", i, c, o.rejection()));
        assertNull(o.fields(), context("nothing forwarded when refused", i, c, o.fields()));
        assertEquals(List.of(), o.removed(), context("nothing reported removed when refused", i, c, o.removed()));
      }
      assertEquals(before, c.fields(), context("input unchanged", i, c, null));
    }
  }

  @Test
  void trailerRulesDropHopByHopNominatedAndForbiddenFields() {
    Random r = new Random(SEED ^ 0x7A11E25L);
    long t0 = System.nanoTime();
    List<String> forbidden = List.of("Content-Length", "Host", "Content-Type", "Content-Encoding", "Content-Range");
    for (int i = 0; i < CASES; i++) {
      // The header section that may nominate trailer fields, and the trailer section itself
      // (which has its own Connection lines). The trailer pool adds the forbidden names.
      Case header = generate(r, HeaderRules.MAX_CONNECTION_TOKENS, List.of());
      Case trailer = generate(r, HeaderRules.MAX_CONNECTION_TOKENS,
          List.of(forbidden.get(r.nextInt(forbidden.size())), "X-Checksum"));
      HttpFields headerBefore = HttpFields.of(new ArrayList<>(header.fields().asList()));
      HttpFields trailerBefore = HttpFields.of(new ArrayList<>(trailer.fields().asList()));
      Set<String> nominated = new HashSet<>();
      nominated.addAll(header.connection());
      nominated.addAll(header.proxyConnection());
      nominated.addAll(trailer.connection());
      nominated.addAll(trailer.proxyConnection());
      Predicate<HttpField> drop = f -> FIXED.contains(lower(f.name())) || nominated.contains(lower(f.name()))
          || NOT_IN_TRAILERS.contains(lower(f.name()));
      int n = i;
      Supplier<String> ctx = () -> "trailers failed: seed=" + SEED + " case=" + n + " (rerun: -Dhopwise.seed=" + SEED
          + ")\n  header section: " + header.fields() + "\n  trailers:       " + trailer.fields()
          + "\n  nominated: " + nominated;

      Outcome o = HeaderRules.trailers(trailer.fields(), header.fields());
      assertTrue(!o.rejected() && o.fields() != null, ctx);
      List<HttpField> out = o.fields().asList();
      // Nothing is added to trailers; exactly the kept lines, in order, case and repeats intact.
      assertEquals(filter(trailer.fields().asList(), drop.negate()), out, () -> ctx.get() + "\n  output: " + out);
      assertEquals(List.of(), filter(out, drop), () -> ctx.get() + "\n  output: " + out);
      // Removed: the dropped lines in order, each with a reason that applies to it.
      List<HttpField> dropped = filter(trailer.fields().asList(), drop);
      assertEquals(dropped.stream().map(HttpField::name).toList(), o.removed().stream().map(Removed::name).toList(),
          () -> ctx.get() + "\n  removed: " + o.removed());
      for (int k = 0; k < dropped.size(); k++) {
        String lower = lower(dropped.get(k).name());
        Reason why = o.removed().get(k).reason();
        boolean applies = switch (why) {
          case ALWAYS_HOP_BY_HOP -> FIXED.contains(lower) && !MEANT_FOR_PROXY.contains(lower);
          case MEANT_FOR_PROXY -> MEANT_FOR_PROXY.contains(lower);
          case NAMED_IN_CONNECTION -> header.connection().contains(lower) || trailer.connection().contains(lower);
          case NAMED_IN_PROXY_CONNECTION -> header.proxyConnection().contains(lower)
              || trailer.proxyConnection().contains(lower);
          case NOT_ALLOWED_IN_TRAILERS -> NOT_IN_TRAILERS.contains(lower);
        };
        int kk = k;
        assertTrue(applies, () -> ctx.get() + "\n  reason " + why + " does not apply to removed line " + kk);
      }
      assertEquals(headerBefore, header.fields(), ctx);
      assertEquals(trailerBefore, trailer.fields(), ctx);
    }
    System.out.printf("HeaderRulesPropertyTest: %d trailer cases, seed %d, %d ms%n", CASES, SEED,
        (System.nanoTime() - t0) / 1_000_000);
  }

  /** This class's copy of the fixed list is the one HopByHop uses (so neither drifts silently). */
  @Test
  void fixedListMatchesHttpRulesA2() {
    if (!HopByHop.ALWAYS.keySet().equals(FIXED)) {
      fail("HopByHop.ALWAYS " + HopByHop.ALWAYS.keySet() + " differs from http-rules A2 " + FIXED);
    }
  }
}
