package io.hopwise.http;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Named.named;

import io.hopwise.http.RequestTarget.Absolute;
import io.hopwise.http.RequestTarget.Asterisk;
import io.hopwise.http.RequestTarget.AuthorityForm;
import io.hopwise.http.RequestTarget.OriginForm;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Table tests for {@link RequestTarget} (RFC 9112 3.2), {@link Authority} and {@link Origin}. */
class RequestTargetTest {

  private static Arguments ok(String name, String method, String raw, RequestTarget expected) {
    return Arguments.of(named(name, method), raw, expected);
  }

  private static Absolute abs(String scheme, String host, int port, String pathAndQuery) {
    return new Absolute(new Origin(scheme, host, port), pathAndQuery);
  }

  static Stream<Arguments> accepted() {
    return Stream.of(
        ok("http, no port", "GET", "http://example.com/path?q=1", abs("http", "example.com", 80, "/path?q=1")),
        ok("http with port", "GET", "http://example.com:8080/p", abs("http", "example.com", 8080, "/p")),
        ok("https, no port", "GET", "https://example.com/p", abs("https", "example.com", 443, "/p")),
        ok("https with port", "POST", "https://example.com:8443/p", abs("https", "example.com", 8443, "/p")),
        ok("http with port 443 is plain http", "GET", "http://example.com:443/", abs("http", "example.com", 443, "/")),
        ok("empty path becomes /", "GET", "http://example.com", abs("http", "example.com", 80, "/")),
        ok("empty path with port becomes /", "GET", "http://example.com:81", abs("http", "example.com", 81, "/")),
        ok("query without path becomes /?q", "GET", "http://example.com?q", abs("http", "example.com", 80, "/?q")),
        ok("OPTIONS with empty path becomes *", "OPTIONS", "http://example.com", abs("http", "example.com", 80, "*")),
        ok("OPTIONS with a path keeps it", "OPTIONS", "http://example.com/x", abs("http", "example.com", 80, "/x")),
        ok("upper-case scheme and host are normalised, path case kept", "GET", "HTTP://Example.COM/A/b?C=D",
            abs("http", "example.com", 80, "/A/b?C=D")),
        ok("IPv6 literal with port", "GET", "http://[::1]:8080/x", abs("http", "::1", 8080, "/x")),
        ok("IPv6 literal without port", "GET", "https://[2001:DB8::1]/", abs("https", "2001:db8::1", 443, "/")),
        ok("IPv4 literal", "GET", "http://127.0.0.1:9000/", abs("http", "127.0.0.1", 9000, "/")),
        ok("'@' in the path is not userinfo", "GET", "http://example.com/a@b", abs("http", "example.com", 80, "/a@b")),
        ok("path keeps percent-encoding and '//' inside", "GET", "http://example.com/a//b%2F?x=%20",
            abs("http", "example.com", 80, "/a//b%2F?x=%20")),
        ok("origin-form", "GET", "/path?q=1", new OriginForm("/path?q=1")),
        ok("origin-form root", "POST", "/", new OriginForm("/")),
        ok("asterisk-form for OPTIONS", "OPTIONS", "*", new Asterisk()),
        ok("CONNECT host:port", "CONNECT", "example.com:443", new AuthorityForm(new Authority("example.com", 443))),
        ok("CONNECT host case normalised", "CONNECT", "Example.COM:8443", new AuthorityForm(new Authority("example.com", 8443))),
        ok("CONNECT IPv6 literal", "CONNECT", "[::1]:443", new AuthorityForm(new Authority("::1", 443))),
        // Issue 26: WebSocket clients through a proxy (aiohttp) send ws:// and wss:// targets, which
        // name http and https origins (RFC 6455 3): they got 501.
        ok("ws is an http origin", "GET", "ws://example.com/chat", abs("http", "example.com", 80, "/chat")),
        ok("wss is an https origin", "GET", "WSS://example.com:8443/chat", abs("https", "example.com", 8443, "/chat")));
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("accepted")
  void parsed(String method, String raw, RequestTarget expected) {
    RequestTarget.Result r = RequestTarget.parse(method, raw);
    assertAll(
        () -> assertNull(r.rejection(), () -> "unexpected " + r.rejection()),
        () -> assertEquals(expected, r.target()));
  }

  private static Arguments no(String name, String method, String raw, int status) {
    return Arguments.of(named(name, method), raw, status);
  }

  static Stream<Arguments> refused() {
    return Stream.of(
        no("userinfo", "GET", "http://user@example.com/", 400),
        no("userinfo with password", "GET", "http://user:pw@example.com/", 400),
        no("userinfo hiding the real host", "GET", "http://example.com@evil.example/", 400),
        no("fragment", "GET", "http://example.com/p#frag", 400),
        no("fragment right after the host", "GET", "http://example.com#frag", 400),
        no("ftp scheme", "GET", "ftp://example.com/f", 501),
        no("wsx scheme", "GET", "wsx://example.com/", 501),
        no("'//x' origin-form", "GET", "//x/path", 400),
        no("asterisk for GET", "GET", "*", 400),
        no("no scheme, no slash", "GET", "example.com/path", 400),
        no("scheme without '//'", "GET", "http:example.com", 400),
        no("empty host", "GET", "http:///path", 400),
        no("empty host with port", "GET", "http://:80/", 400),
        no("non-numeric port", "GET", "http://example.com:abc/", 400),
        no("port 0", "GET", "http://example.com:0/", 400),
        no("port 65536", "GET", "http://example.com:65536/", 400),
        no("empty port", "GET", "http://example.com:/", 400),
        no("invalid host character", "GET", "http://exa\\mple.com/", 400),
        no("IPv6 without brackets", "GET", "http://::1/", 400),
        no("unclosed IPv6 bracket", "GET", "http://[::1/", 400),
        no("CONNECT without port", "CONNECT", "example.com", 400),
        no("CONNECT with absolute-form", "CONNECT", "http://example.com:443/", 400),
        no("CONNECT port 0", "CONNECT", "example.com:0", 400),
        no("CONNECT port over 65535", "CONNECT", "example.com:70000", 400),
        no("CONNECT empty", "CONNECT", "", 400));
  }

  @ParameterizedTest(name = "{0} {1} -> {2}")
  @MethodSource("refused")
  void rejected(String method, String raw, int status) {
    RequestTarget.Result r = RequestTarget.parse(method, raw);
    assertAll(
        () -> assertNull(r.target(), () -> "unexpected " + r.target()),
        () -> assertNotNull(r.rejection()),
        () -> assertEquals(status, r.rejection() == null ? 0 : r.rejection().status(),
            () -> "reason: " + r.rejection()));
  }

  // ---------------------------------------------------------------- Memo

  private static Arguments target(String name, String method, String raw) {
    return Arguments.of(named(name, method), raw);
  }

  /** Targets that share a prefix with those above, or nearly: where a memo could go wrong. */
  static Stream<Arguments> nearMisses() {
    return Stream.of(
        target("same origin, other path", "GET", "http://example.com/other"),
        target("same origin, query only", "GET", "http://example.com?x"),
        target("a longer host", "GET", "http://example.com.evil/p"),
        target("a longer port", "GET", "http://example.com:80800/p"),
        target("a port after the same host", "GET", "http://example.com:81/p"),
        target("fragment after a known origin", "GET", "http://example.com/p#f"),
        target("the same text in CONNECT", "CONNECT", "http://example.com/"),
        target("the same text as a CONNECT target", "CONNECT", "example.com:80"),
        target("the same origin in OPTIONS", "OPTIONS", "http://example.com"));
  }

  /** Every target of this file as {method, target}. */
  private static List<String[]> allTargets() {
    List<String[]> all = new ArrayList<>();
    Stream.of(accepted(), refused(), nearMisses()).flatMap(s -> s).forEach(a -> {
      Object[] args = a.get();
      all.add(new String[] {((Named<?>) args[0]).getPayload().toString(), (String) args[1]});
    });
    return all;
  }

  /**
   * After any target, the memo parses any other exactly as {@link RequestTarget#parse} does: every
   * ordered pair of this file's targets, the second parsed by a memo that has seen the first.
   */
  @Test
  void aMemoParsesEveryTargetAsParseDoes() {
    List<String[]> all = allTargets();
    int compared = 0;
    for (String[] first : all) {
      for (String[] second : all) {
        RequestTarget.Memo memo = new RequestTarget.Memo();
        memo.parse(first[0], first[1]);
        RequestTarget.Result expected = RequestTarget.parse(second[0], second[1]);
        RequestTarget.Result actual = memo.parse(second[0], second[1]);
        String pair = first[0] + " " + first[1] + " then " + second[0] + " " + second[1];
        assertEquals(expected, actual, pair);
        compared++;
      }
    }
    assertEquals(all.size() * all.size(), compared);
  }

  /**
   * A memo shared by many connections holds several origins: after every other target of this
   * file (each filling the next slot in turn), each target still parses exactly as parse does.
   */
  @Test
  void aMemoFullOfOtherOriginsParsesEveryTargetAsParseDoes() {
    List<String[]> all = allTargets();
    for (int skip = 0; skip < all.size(); skip++) {
      RequestTarget.Memo memo = new RequestTarget.Memo();
      for (int k = 0; k < all.size(); k++) {
        if (k != skip) {
          memo.parse(all.get(k)[0], all.get(k)[1]);
        }
      }
      String[] t = all.get(skip);
      assertEquals(RequestTarget.parse(t[0], t[1]), memo.parse(t[0], t[1]), t[0] + " " + t[1]);
    }
  }

  /** Connections to a few origins interleaved (one loop's memo): each origin keeps its one object. */
  @Test
  void aMemoKeepsTheSameOriginObjectsForInterleavedOrigins() {
    RequestTarget.Memo memo = new RequestTarget.Memo();
    Origin[] first = new Origin[RequestTarget.Memo.SLOTS];
    for (int round = 0; round < 3; round++) {
      for (int i = 0; i < RequestTarget.Memo.SLOTS; i++) {
        Origin o = ((Absolute) memo.parse("GET", "http://host" + i + ".example:8080/r" + round).target()).origin();
        if (round == 0) {
          first[i] = o;
        } else {
          assertSame(first[i], o, "host" + i + " in round " + round);
        }
      }
    }
    Origin fifth = ((Absolute) memo.parse("GET", "http://fifth.example/").target()).origin();
    assertEquals(new Origin("http", "fifth.example", 80), fifth);
    assertSame(fifth, ((Absolute) memo.parse("GET", "http://fifth.example/again").target()).origin());
  }

  @Test
  void aMemoGivesRequestsToOneOriginTheSameOriginObject() {
    RequestTarget.Memo memo = new RequestTarget.Memo();
    Origin first = ((Absolute) memo.parse("GET", "http://example.com:8080/a").target()).origin();
    Origin second = ((Absolute) memo.parse("POST", "http://example.com:8080?b").target()).origin();
    Origin other = ((Absolute) memo.parse("GET", "http://example.com:8081/a").target()).origin();
    Origin third = ((Absolute) memo.parse("GET", "http://example.com:8081").target()).origin();
    assertAll(
        () -> assertSame(first, second),
        () -> assertEquals(new Origin("http", "example.com", 8081), other),
        () -> assertSame(other, third),
        () -> assertEquals("example.com:8081", third.hostField()));
  }

  // ---------------------------------------------------------------- Origin

  static Stream<Arguments> hostFields() {
    return Stream.of(
        Arguments.of(named("http default port omitted", new Origin("http", "example.com", 80)), "example.com"),
        Arguments.of(named("http other port kept", new Origin("http", "example.com", 8080)), "example.com:8080"),
        Arguments.of(named("https default port omitted", new Origin("https", "example.com", 443)), "example.com"),
        Arguments.of(named("https on port 80 kept", new Origin("https", "example.com", 80)), "example.com:80"),
        Arguments.of(named("http on port 443 kept", new Origin("http", "example.com", 443)), "example.com:443"),
        Arguments.of(named("IPv6 default port: brackets, no port", new Origin("http", "::1", 80)), "[::1]"),
        Arguments.of(named("IPv6 other port", new Origin("https", "::1", 8443)), "[::1]:8443"),
        Arguments.of(named("case normalised", new Origin("HTTP", "Example.COM", 80)), "example.com"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("hostFields")
  void hostField(Origin origin, String expected) {
    assertEquals(expected, origin.hostField());
  }

  static Stream<Arguments> configuredOrigins() {
    return Stream.of(
        Arguments.of(named("http with port", "http://127.0.0.1:8080"), new Origin("http", "127.0.0.1", 8080)),
        Arguments.of(named("https default port", "https://Upstream.example"), new Origin("https", "upstream.example", 443)),
        Arguments.of(named("trailing slash", "http://a.example/"), new Origin("http", "a.example", 80)),
        Arguments.of(named("with a path: not an origin", "http://a.example/x"), null),
        Arguments.of(named("with a query: not an origin", "http://a.example?x"), null),
        Arguments.of(named("unsupported scheme", "ftp://a.example"), null),
        Arguments.of(named("no scheme", "a.example:80"), null));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("configuredOrigins")
  void originParse(String uri, Origin expected) {
    assertEquals(expected, Origin.parse(uri));
  }
}
