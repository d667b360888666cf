package io.hopwise.http;

import static io.hopwise.http.HopByHop.Reason.ALWAYS_HOP_BY_HOP;
import static io.hopwise.http.HopByHop.Reason.MEANT_FOR_PROXY;
import static io.hopwise.http.HopByHop.Reason.NAMED_IN_CONNECTION;
import static io.hopwise.http.HopByHop.Reason.NAMED_IN_PROXY_CONNECTION;
import static io.hopwise.http.HopByHop.Reason.NOT_ALLOWED_IN_TRAILERS;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Named.named;

import io.hopwise.http.HeaderRules.Outcome;
import io.hopwise.http.HeaderRules.RequestFacts;
import io.hopwise.http.HopByHop.Reason;
import io.hopwise.http.HopByHop.Removed;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Table tests for {@link HeaderRules}: http-rules A (hop-by-hop) and D1 (Via). Every case asserts
 * the complete list of forwarded field lines and the complete list of removals, in order.
 */
class HeaderRulesTest {
  private static final String US = "hopwise";
  /** HTTP/1.1 request, Host kept as received, our Via appended. */
  private static final RequestFacts KEEP_HOST = new RequestFacts(HttpVersion.HTTP_1_1, null, US);

  // ---------------------------------------------------------------- helpers

  private static HttpField f(String name, String value) {
    return new HttpField(name, value);
  }

  private static HttpFields in(String... namesAndValues) {
    return HttpFields.of(namesAndValues);
  }

  private static List<HttpField> out(String... namesAndValues) {
    return HttpFields.of(namesAndValues).asList();
  }

  private static Removed rm(String name, Reason reason) {
    return new Removed(name, reason);
  }

  private static List<Removed> removed(Removed... r) {
    return List.of(r);
  }

  private static final List<Removed> NONE = List.of();

  private static Arguments req(String name, HttpFields in, RequestFacts facts, List<HttpField> out, List<Removed> removed) {
    return Arguments.of(named(name, in), facts, out, removed);
  }

  private static Arguments req(String name, HttpFields in, List<HttpField> out, List<Removed> removed) {
    return req(name, in, KEEP_HOST, out, removed);
  }

  private static void assertForwarded(Outcome o, List<HttpField> expectedFields, List<Removed> expectedRemoved) {
    assertAll(
        () -> assertFalse(o.rejected(), () -> "unexpected rejection " + o.rejection()),
        () -> assertNull(o.rejection()),
        () -> assertNotNull(o.fields()),
        () -> assertEquals(expectedFields, o.fields() == null ? null : o.fields().asList(), "forwarded fields"),
        () -> assertEquals(expectedRemoved, o.removed(), "removed fields"));
  }

  private static void assertRefused(Outcome o, int status, String reasonFragment) {
    assertAll(
        () -> assertTrue(o.rejected(), "expected a rejection"),
        () -> assertEquals(status, o.rejection() == null ? 0 : o.rejection().status(), "status"),
        () -> assertTrue(o.rejection() != null && o.rejection().reason().contains(reasonFragment),
            () -> "reason " + o.rejection() + " should mention '" + reasonFragment + "'"),
        () -> assertNull(o.fields(), "nothing is forwarded"),
        () -> assertEquals(NONE, o.removed(), "nothing is reported removed"));
  }

  // ---------------------------------------------------------------- request: forwarded

  static Stream<Arguments> requestCases() {
    return Stream.of(
        req("no hop-by-hop fields: everything kept, Via appended",
            in("Host", "a.example", "Accept", "*/*", "X-A", "1"),
            out("Host", "a.example", "Accept", "*/*", "X-A", "1", "Via", "1.1 hopwise"),
            NONE),
        req("Connection: close is removed by itself",
            in("Host", "a", "Connection", "close", "Accept", "*/*"),
            out("Host", "a", "Accept", "*/*", "Via", "1.1 hopwise"),
            removed(rm("Connection", ALWAYS_HOP_BY_HOP))),
        req("Connection names a custom field, which is removed",
            in("Host", "a", "Connection", "X-Foo", "X-Foo", "1", "X-Bar", "2"),
            out("Host", "a", "X-Bar", "2", "Via", "1.1 hopwise"),
            removed(rm("Connection", ALWAYS_HOP_BY_HOP), rm("X-Foo", NAMED_IN_CONNECTION))),
        req("several Connection lines all count",
            in("Host", "a", "Connection", "X-A", "X-A", "1", "Connection", "X-B", "X-B", "2", "X-C", "3"),
            out("Host", "a", "X-C", "3", "Via", "1.1 hopwise"),
            removed(rm("Connection", ALWAYS_HOP_BY_HOP), rm("X-A", NAMED_IN_CONNECTION),
                rm("Connection", ALWAYS_HOP_BY_HOP), rm("X-B", NAMED_IN_CONNECTION))),
        req("a field named before its Connection line is removed too",
            in("X-Late", "1", "Host", "a", "Connection", "x-late"),
            out("Host", "a", "Via", "1.1 hopwise"),
            removed(rm("X-Late", NAMED_IN_CONNECTION), rm("Connection", ALWAYS_HOP_BY_HOP))),
        req("comma list in one Connection line",
            in("Host", "a", "Connection", "X-A,X-B", "X-A", "1", "X-B", "2", "X-C", "3"),
            out("Host", "a", "X-C", "3", "Via", "1.1 hopwise"),
            removed(rm("Connection", ALWAYS_HOP_BY_HOP), rm("X-A", NAMED_IN_CONNECTION), rm("X-B", NAMED_IN_CONNECTION))),
        req("mixed case field names and tokens; every line of a named field goes",
            in("Host", "a", "cOnNeCtIoN", "x-FOO", "X-Foo", "1", "x-foo", "2", "X-Other", "3"),
            out("Host", "a", "X-Other", "3", "Via", "1.1 hopwise"),
            removed(rm("cOnNeCtIoN", ALWAYS_HOP_BY_HOP), rm("X-Foo", NAMED_IN_CONNECTION), rm("x-foo", NAMED_IN_CONNECTION))),
        req("optional whitespace (SP and HTAB) around tokens",
            in("Host", "a", "Connection", " \tx-a ,\tx-b  ,  x-c", "X-A", "1", "X-B", "2", "X-C", "3", "X-D", "4"),
            out("Host", "a", "X-D", "4", "Via", "1.1 hopwise"),
            removed(rm("Connection", ALWAYS_HOP_BY_HOP), rm("X-A", NAMED_IN_CONNECTION),
                rm("X-B", NAMED_IN_CONNECTION), rm("X-C", NAMED_IN_CONNECTION))),
        req("empty list elements are ignored (', ,foo,')",
            in("Host", "a", "Connection", ", ,foo,", "Foo", "1", "Bar", "2"),
            out("Host", "a", "Bar", "2", "Via", "1.1 hopwise"),
            removed(rm("Connection", ALWAYS_HOP_BY_HOP), rm("Foo", NAMED_IN_CONNECTION))),
        req("Connection with an empty value removes only itself",
            in("Host", "a", "Connection", "", "X-A", "1"),
            out("Host", "a", "X-A", "1", "Via", "1.1 hopwise"),
            removed(rm("Connection", ALWAYS_HOP_BY_HOP))),
        req("a nominated field that is absent changes nothing else",
            in("Host", "a", "Connection", "x-missing", "X-A", "1"),
            out("Host", "a", "X-A", "1", "Via", "1.1 hopwise"),
            removed(rm("Connection", ALWAYS_HOP_BY_HOP))),
        req("names are matched whole: X-Connection and Keep-Alive-Foo are end-to-end",
            in("Host", "a", "X-Connection", "close", "Keep-Alive-Foo", "1", "Proxy-Connection-X", "2", "TE-X", "3"),
            out("Host", "a", "X-Connection", "close", "Keep-Alive-Foo", "1", "Proxy-Connection-X", "2", "TE-X", "3",
                "Via", "1.1 hopwise"),
            NONE),
        // A2: the fixed list, each on its own and not named by Connection.
        req("fixed list: Proxy-Connection",
            in("Host", "a", "Proxy-Connection", "keep-alive", "X-A", "1"),
            out("Host", "a", "X-A", "1", "Via", "1.1 hopwise"),
            removed(rm("Proxy-Connection", ALWAYS_HOP_BY_HOP))),
        req("fixed list: Keep-Alive",
            in("Host", "a", "Keep-Alive", "timeout=5, max=100", "X-A", "1"),
            out("Host", "a", "X-A", "1", "Via", "1.1 hopwise"),
            removed(rm("Keep-Alive", ALWAYS_HOP_BY_HOP))),
        req("fixed list: TE: gzip is dropped and not re-added",
            in("Host", "a", "TE", "gzip", "X-A", "1"),
            out("Host", "a", "X-A", "1", "Via", "1.1 hopwise"),
            removed(rm("TE", ALWAYS_HOP_BY_HOP))),
        req("fixed list: Transfer-Encoding",
            in("Host", "a", "Transfer-Encoding", "chunked", "X-A", "1"),
            out("Host", "a", "X-A", "1", "Via", "1.1 hopwise"),
            removed(rm("Transfer-Encoding", ALWAYS_HOP_BY_HOP))),
        req("fixed list: Upgrade",
            in("Host", "a", "Upgrade", "websocket", "X-A", "1"),
            out("Host", "a", "X-A", "1", "Via", "1.1 hopwise"),
            removed(rm("Upgrade", ALWAYS_HOP_BY_HOP))),
        req("fixed list: Trailer",
            in("Host", "a", "Trailer", "X-Checksum", "X-A", "1"),
            out("Host", "a", "X-A", "1", "Via", "1.1 hopwise"),
            removed(rm("Trailer", ALWAYS_HOP_BY_HOP))),
        req("fixed list: Proxy-Authorization is ours to consume",
            in("Host", "a", "Proxy-Authorization", "Basic dXNlcjpwdw==", "Authorization", "Bearer t"),
            out("Host", "a", "Authorization", "Bearer t", "Via", "1.1 hopwise"),
            removed(rm("Proxy-Authorization", MEANT_FOR_PROXY))),
        req("fixed list: Proxy-Authenticate",
            in("Host", "a", "Proxy-Authenticate", "Basic realm=x", "X-A", "1"),
            out("Host", "a", "X-A", "1", "Via", "1.1 hopwise"),
            removed(rm("Proxy-Authenticate", MEANT_FOR_PROXY))),
        req("fixed list: HTTP2-Settings",
            in("Host", "a", "HTTP2-Settings", "AAMAAABkAAQAAP__", "X-A", "1"),
            out("Host", "a", "X-A", "1", "Via", "1.1 hopwise"),
            removed(rm("HTTP2-Settings", ALWAYS_HOP_BY_HOP))),
        req("fixed list, lower-case names",
            in("host", "a", "connection", "close", "keep-alive", "300", "upgrade", "h2c", "x-a", "1"),
            out("host", "a", "x-a", "1", "Via", "1.1 hopwise"),
            removed(rm("connection", ALWAYS_HOP_BY_HOP), rm("keep-alive", ALWAYS_HOP_BY_HOP), rm("upgrade", ALWAYS_HOP_BY_HOP))),
        req("a fixed-list field named in Connection is reported as named",
            in("Host", "a", "Connection", "keep-alive, Upgrade", "Keep-Alive", "300", "Upgrade", "h2c"),
            out("Host", "a", "Via", "1.1 hopwise"),
            removed(rm("Connection", ALWAYS_HOP_BY_HOP), rm("Keep-Alive", NAMED_IN_CONNECTION), rm("Upgrade", NAMED_IN_CONNECTION))),
        // A3: Proxy-Connection tokens nominate like Connection tokens.
        req("Proxy-Connection tokens nominate fields",
            in("Host", "a", "Proxy-Connection", "X-Foo, keep-alive", "X-Foo", "1", "Keep-Alive", "300", "X-Bar", "2"),
            out("Host", "a", "X-Bar", "2", "Via", "1.1 hopwise"),
            removed(rm("Proxy-Connection", ALWAYS_HOP_BY_HOP), rm("X-Foo", NAMED_IN_PROXY_CONNECTION),
                rm("Keep-Alive", NAMED_IN_PROXY_CONNECTION))),
        req("named by both Connection and Proxy-Connection: Connection's reason wins",
            in("Host", "a", "Proxy-Connection", "X-Foo", "Connection", "x-foo", "X-Foo", "1"),
            out("Host", "a", "Via", "1.1 hopwise"),
            removed(rm("Proxy-Connection", ALWAYS_HOP_BY_HOP), rm("Connection", ALWAYS_HOP_BY_HOP),
                rm("X-Foo", NAMED_IN_CONNECTION))),
        // A4: TE: trailers.
        req("TE: trailers with Connection: TE is re-added with Connection: TE",
            in("Host", "a", "TE", "trailers", "Connection", "TE", "Accept", "*/*"),
            out("Host", "a", "Accept", "*/*", "TE", "trailers", "Connection", "TE", "Via", "1.1 hopwise"),
            removed(rm("TE", NAMED_IN_CONNECTION), rm("Connection", ALWAYS_HOP_BY_HOP))),
        req("TE: trailers without Connection: TE is still passed on, normalised",
            in("Host", "a", "te", "trailers", "Accept", "*/*"),
            out("Host", "a", "Accept", "*/*", "TE", "trailers", "Connection", "TE", "Via", "1.1 hopwise"),
            removed(rm("te", ALWAYS_HOP_BY_HOP))),
        req("TE: 'deflate, Trailers' keeps only trailers",
            in("Host", "a", "TE", "deflate;q=0.5, Trailers", "Connection", "TE, close"),
            out("Host", "a", "TE", "trailers", "Connection", "TE", "Via", "1.1 hopwise"),
            removed(rm("TE", NAMED_IN_CONNECTION), rm("Connection", ALWAYS_HOP_BY_HOP))),
        req("TE: gzip named in Connection is dropped, no Connection: TE added",
            in("Host", "a", "TE", "gzip", "Connection", "TE"),
            out("Host", "a", "Via", "1.1 hopwise"),
            removed(rm("TE", NAMED_IN_CONNECTION), rm("Connection", ALWAYS_HOP_BY_HOP))),
        req("no TE received: none sent (the proxy never invents TE: trailers)",
            in("Host", "a", "Connection", "close", "Trailer", "X-Sum"),
            out("Host", "a", "Via", "1.1 hopwise"),
            removed(rm("Connection", ALWAYS_HOP_BY_HOP), rm("Trailer", ALWAYS_HOP_BY_HOP))),
        // A5: the token cap is 10, counted over Connection and Proxy-Connection.
        req("exactly 10 Connection tokens are allowed",
            in("Host", "a", "Connection", "x-1, x-2, x-3, x-4, x-5, x-6, x-7, x-8, x-9, x-10", "X-1", "1", "X-10", "10",
                "X-11", "11"),
            out("Host", "a", "X-11", "11", "Via", "1.1 hopwise"),
            removed(rm("Connection", ALWAYS_HOP_BY_HOP), rm("X-1", NAMED_IN_CONNECTION), rm("X-10", NAMED_IN_CONNECTION))),
        req("10 tokens over Connection (6) and Proxy-Connection (4) are allowed",
            in("Host", "a", "Connection", "a1,a2,a3,a4,a5,a6", "Proxy-Connection", "b1,b2,b3,b4", "B4", "x"),
            out("Host", "a", "Via", "1.1 hopwise"),
            removed(rm("Connection", ALWAYS_HOP_BY_HOP), rm("Proxy-Connection", ALWAYS_HOP_BY_HOP),
                rm("B4", NAMED_IN_PROXY_CONNECTION))),
        req("empty elements do not count towards the cap",
            in("Host", "a", "Connection", "a1,,a2,,a3,,a4,,a5,,a6,,a7,,a8,,a9,,a10,,"),
            out("Host", "a", "Via", "1.1 hopwise"),
            removed(rm("Connection", ALWAYS_HOP_BY_HOP))),
        // D4: Host rebuilt from the target when the facts say so.
        req("Host rebuilt from the target: put first, the received one dropped",
            in("Accept", "*/*", "Host", "evil.example", "X-A", "1"),
            new RequestFacts(HttpVersion.HTTP_1_1, "origin.example:8080", US),
            out("Host", "origin.example:8080", "Accept", "*/*", "X-A", "1", "Via", "1.1 hopwise"),
            NONE),
        req("Host rebuilt replaces a lower-case received host line",
            in("host", "evil.example", "Accept", "*/*"),
            new RequestFacts(HttpVersion.HTTP_1_1, "origin.example", US),
            out("Host", "origin.example", "Accept", "*/*", "Via", "1.1 hopwise"),
            NONE),
        req("Host added when the request had none (HTTP/1.0 absolute-form)",
            in("Accept", "*/*"),
            new RequestFacts(HttpVersion.HTTP_1_0, "origin.example", US),
            out("Host", "origin.example", "Accept", "*/*", "Via", "1.0 hopwise"),
            NONE),
        req("Host kept as received, in place, when no host is given",
            in("Accept", "*/*", "Host", "a.example:81", "X-A", "1"),
            out("Accept", "*/*", "Host", "a.example:81", "X-A", "1", "Via", "1.1 hopwise"),
            NONE),
        req("no Host and none given: none invented",
            in("Accept", "*/*"),
            new RequestFacts(HttpVersion.HTTP_1_0, null, US),
            out("Accept", "*/*", "Via", "1.0 hopwise"),
            NONE),
        // D1: Via.
        req("Via appended after earlier Via lines, which are kept",
            in("Host", "a", "Via", "1.0 fred, 1.1 p.example", "Accept", "*/*", "via", "1.1 other"),
            out("Host", "a", "Via", "1.0 fred, 1.1 p.example", "Accept", "*/*", "via", "1.1 other", "Via", "1.1 hopwise"),
            NONE),
        req("HTTP/1.0 request gets 'Via: 1.0 hopwise'",
            in("Host", "a", "Via", "1.1 fred"),
            new RequestFacts(HttpVersion.HTTP_1_0, null, US),
            out("Host", "a", "Via", "1.1 fred", "Via", "1.0 hopwise"),
            NONE),
        req("pseudonym is used verbatim",
            in("Host", "a"),
            new RequestFacts(HttpVersion.HTTP_1_1, null, "edge-7"),
            out("Host", "a", "Via", "1.1 edge-7"),
            NONE),
        req("null pseudonym adds no Via",
            in("Host", "a", "Connection", "close"),
            new RequestFacts(HttpVersion.HTTP_1_1, null, null),
            out("Host", "a"),
            removed(rm("Connection", ALWAYS_HOP_BY_HOP))),
        req("stages together: strip, TE trailers, Host first, Via last",
            in("Via", "1.1 fred", "Host", "wrong", "Connection", "TE, X-Hop", "TE", "trailers", "X-Hop", "1",
                "Proxy-Authorization", "Basic x", "Accept", "*/*"),
            new RequestFacts(HttpVersion.HTTP_1_1, "right.example", US),
            out("Host", "right.example", "Via", "1.1 fred", "Accept", "*/*", "TE", "trailers", "Connection", "TE",
                "Via", "1.1 hopwise"),
            removed(rm("Connection", ALWAYS_HOP_BY_HOP), rm("TE", NAMED_IN_CONNECTION), rm("X-Hop", NAMED_IN_CONNECTION),
                rm("Proxy-Authorization", MEANT_FOR_PROXY))),
        req("end-to-end order, name case and repeated lines preserved exactly",
            in("Host", "a", "X-b", "1", "Cookie", "a=1", "Connection", "keep-alive", "cookie", "b=2",
                "Keep-Alive", "300", "ACCEPT", "text/html", "X-b", "2", "x-B", "3"),
            out("Host", "a", "X-b", "1", "Cookie", "a=1", "cookie", "b=2", "ACCEPT", "text/html", "X-b", "2", "x-B", "3",
                "Via", "1.1 hopwise"),
            removed(rm("Connection", ALWAYS_HOP_BY_HOP), rm("Keep-Alive", NAMED_IN_CONNECTION))),
        req("field values are not touched (commas, empty value, inner spaces)",
            in("Host", "a", "X-List", "a, b,,c", "X-Empty", "", "X-Spaces", "a   b"),
            out("Host", "a", "X-List", "a, b,,c", "X-Empty", "", "X-Spaces", "a   b", "Via", "1.1 hopwise"),
            NONE),
        req("empty input still gets Via",
            HttpFields.EMPTY,
            out("Via", "1.1 hopwise"),
            NONE));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("requestCases")
  void request(HttpFields in, RequestFacts facts, List<HttpField> expected, List<Removed> expectedRemoved) {
    List<HttpField> before = new ArrayList<>(in.asList());
    Outcome o = HeaderRules.request(in, facts);
    assertForwarded(o, expected, expectedRemoved);
    assertEquals(before, in.asList(), "input must not change");
  }

  // ---------------------------------------------------------------- request: refused (A5)

  static Stream<Arguments> requestAbuseCases() {
    return Stream.of(
        Arguments.of(named("Connection: Via (a client cannot remove our Via)", in("Host", "a", "Connection", "Via", "Via", "1.1 x")), "'via'"),
        Arguments.of(named("Connection: via, lower case", in("Host", "a", "Connection", "close, via")), "'via'"),
        Arguments.of(named("Connection: Host", in("Host", "a", "Connection", "Host")), "'host'"),
        Arguments.of(named("Connection: Content-Length", in("Host", "a", "Content-Length", "5", "Connection", "Content-Length")), "'content-length'"),
        Arguments.of(named("Connection: Transfer-Encoding", in("Host", "a", "Connection", "Transfer-Encoding")), "'transfer-encoding'"),
        Arguments.of(named("Connection: X-Forwarded-For", in("Host", "a", "Connection", "X-Forwarded-For", "X-Forwarded-For", "10.0.0.1")), "'x-forwarded-for'"),
        Arguments.of(named("Connection: Forwarded", in("Host", "a", "Connection", "FORWARDED")), "'forwarded'"),
        Arguments.of(named("Connection: X-Forwarded-Proto", in("Host", "a", "Connection", "x-forwarded-proto")), "'x-forwarded-proto'"),
        Arguments.of(named("protected name on a second Connection line", in("Host", "a", "Connection", "close", "Connection", " x-a , host ")), "'host'"),
        Arguments.of(named("Proxy-Connection: Host", in("Host", "a", "Proxy-Connection", "Host")), "'host'"),
        Arguments.of(named("11 Connection tokens", in("Host", "a", "Connection", "a1,a2,a3,a4,a5,a6,a7,a8,a9,a10,a11")), "too many Connection tokens (11"),
        Arguments.of(named("11 tokens over two Connection lines", in("Host", "a", "Connection", "a1,a2,a3,a4,a5", "Connection", "a6,a7,a8,a9,a10,a11")), "too many Connection tokens (11"),
        Arguments.of(named("11 tokens over Connection (10) and Proxy-Connection (1)", in("Host", "a", "Connection", "a1,a2,a3,a4,a5,a6,a7,a8,a9,a10", "Proxy-Connection", "keep-alive")), "too many Connection tokens (11"),
        Arguments.of(named("repeated tokens count as listed", in("Host", "a", "Connection", "x,x,x,x,x,x,x,x,x,x,x,x")), "too many Connection tokens (12"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("requestAbuseCases")
  void requestAbuseIsRefusedWith400(HttpFields in, String reasonFragment) {
    List<HttpField> before = new ArrayList<>(in.asList());
    assertRefused(HeaderRules.request(in, KEEP_HOST), 400, reasonFragment);
    assertEquals(before, in.asList(), "input must not change");
  }

  // ---------------------------------------------------------------- response

  static Stream<Arguments> responseCases() {
    return Stream.of(
        Arguments.of(named("plain response: Via appended", in("Content-Type", "text/plain", "Content-Length", "5")),
            HttpVersion.HTTP_1_1,
            out("Content-Type", "text/plain", "Content-Length", "5", "Via", "1.1 hopwise"), NONE),
        Arguments.of(named("Connection names a field, which is stripped", in("Connection", "X-Hop", "X-Hop", "1", "X-E2e", "2")),
            HttpVersion.HTTP_1_1,
            out("X-E2e", "2", "Via", "1.1 hopwise"),
            removed(rm("Connection", ALWAYS_HOP_BY_HOP), rm("X-Hop", NAMED_IN_CONNECTION))),
        Arguments.of(named("Keep-Alive stripped, not named", in("Keep-Alive", "timeout=5, max=100", "Content-Length", "0")),
            HttpVersion.HTTP_1_1,
            out("Content-Length", "0", "Via", "1.1 hopwise"),
            removed(rm("Keep-Alive", ALWAYS_HOP_BY_HOP))),
        Arguments.of(named("Connection: keep-alive with Keep-Alive", in("Connection", "keep-alive", "Keep-Alive", "timeout=5", "Date", "x")),
            HttpVersion.HTTP_1_1,
            out("Date", "x", "Via", "1.1 hopwise"),
            removed(rm("Connection", ALWAYS_HOP_BY_HOP), rm("Keep-Alive", NAMED_IN_CONNECTION))),
        Arguments.of(named("Proxy-Authenticate stripped, WWW-Authenticate kept",
                in("WWW-Authenticate", "Basic realm=o", "Proxy-Authenticate", "Basic realm=p", "Content-Length", "0")),
            HttpVersion.HTTP_1_1,
            out("WWW-Authenticate", "Basic realm=o", "Content-Length", "0", "Via", "1.1 hopwise"),
            removed(rm("Proxy-Authenticate", MEANT_FOR_PROXY))),
        Arguments.of(named("Transfer-Encoding and Trailer stripped (we re-frame)", in("Transfer-Encoding", "chunked", "Trailer", "X-Sum", "Date", "x")),
            HttpVersion.HTTP_1_1,
            out("Date", "x", "Via", "1.1 hopwise"),
            removed(rm("Transfer-Encoding", ALWAYS_HOP_BY_HOP), rm("Trailer", ALWAYS_HOP_BY_HOP))),
        Arguments.of(named("101 with Upgrade and Connection: upgrade", in("Upgrade", "websocket", "Connection", "Upgrade")),
            HttpVersion.HTTP_1_1,
            out("Via", "1.1 hopwise"),
            removed(rm("Upgrade", NAMED_IN_CONNECTION), rm("Connection", ALWAYS_HOP_BY_HOP))),
        Arguments.of(named("Connection: Via strips the upstream's Via but ours is still appended",
                in("Via", "1.1 upstream-cache", "Connection", "Via", "Date", "x")),
            HttpVersion.HTTP_1_1,
            out("Date", "x", "Via", "1.1 hopwise"),
            removed(rm("Via", NAMED_IN_CONNECTION), rm("Connection", ALWAYS_HOP_BY_HOP))),
        Arguments.of(named("HTTP/1.0 response: earlier Via kept, 'Via: 1.0 hopwise' appended", in("Via", "1.1 cdn", "Content-Length", "3")),
            HttpVersion.HTTP_1_0,
            out("Via", "1.1 cdn", "Content-Length", "3", "Via", "1.0 hopwise"), NONE),
        Arguments.of(named("repeated Set-Cookie lines kept in order and case",
                in("Set-Cookie", "a=1", "set-cookie", "b=2", "Connection", "close", "SET-COOKIE", "c=3")),
            HttpVersion.HTTP_1_1,
            out("Set-Cookie", "a=1", "set-cookie", "b=2", "SET-COOKIE", "c=3", "Via", "1.1 hopwise"),
            removed(rm("Connection", ALWAYS_HOP_BY_HOP))),
        Arguments.of(named("response Proxy-Connection tokens nominate too", in("Proxy-Connection", "X-P", "X-P", "1", "X-Q", "2")),
            HttpVersion.HTTP_1_1,
            out("X-Q", "2", "Via", "1.1 hopwise"),
            removed(rm("Proxy-Connection", ALWAYS_HOP_BY_HOP), rm("X-P", NAMED_IN_PROXY_CONNECTION))),
        Arguments.of(named("response with exactly 10 tokens", in("Connection", "a1,a2,a3,a4,a5,a6,a7,a8,a9,a10", "A10", "x", "Date", "d")),
            HttpVersion.HTTP_1_1,
            out("Date", "d", "Via", "1.1 hopwise"),
            removed(rm("Connection", ALWAYS_HOP_BY_HOP), rm("A10", NAMED_IN_CONNECTION))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("responseCases")
  void response(HttpFields in, HttpVersion version, List<HttpField> expected, List<Removed> expectedRemoved) {
    List<HttpField> before = new ArrayList<>(in.asList());
    Outcome o = HeaderRules.response(in, version, US);
    assertForwarded(o, expected, expectedRemoved);
    assertEquals(before, in.asList(), "input must not change");
  }

  static Stream<Arguments> responseAbuseCases() {
    return Stream.of(
        Arguments.of(named("response nominating Content-Length", in("Content-Length", "5", "Connection", "Content-Length")), "'content-length'"),
        Arguments.of(named("response nominating transfer-encoding", in("Transfer-Encoding", "chunked", "Connection", "close, transfer-encoding")), "'transfer-encoding'"),
        Arguments.of(named("response nominating Content-Length via Proxy-Connection", in("Proxy-Connection", "content-length")), "'content-length'"),
        Arguments.of(named("response with 11 Connection tokens", in("Connection", "a1,a2,a3,a4,a5,a6,a7,a8,a9,a10,a11")), "too many Connection tokens (11"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("responseAbuseCases")
  void responseAbuseIsRefusedWith502(HttpFields in, String reasonFragment) {
    List<HttpField> before = new ArrayList<>(in.asList());
    assertRefused(HeaderRules.response(in, HttpVersion.HTTP_1_1, US), 502, reasonFragment);
    assertEquals(before, in.asList(), "input must not change");
  }

  // ---------------------------------------------------------------- trailers

  static Stream<Arguments> trailerCases() {
    return Stream.of(
        Arguments.of(named("end-to-end trailers kept in order and case", in("X-Checksum", "abc", "server-timing", "db;dur=5", "X-Checksum", "def")),
            HttpFields.EMPTY,
            out("X-Checksum", "abc", "server-timing", "db;dur=5", "X-Checksum", "def"), NONE),
        Arguments.of(named("empty trailer section", HttpFields.EMPTY),
            in("Connection", "close"),
            out(), NONE),
        Arguments.of(named("fields nominated by the header section's Connection are removed", in("X-Debug", "1", "X-Sum", "2")),
            in("Host", "a", "Connection", "X-Debug", "Transfer-Encoding", "chunked"),
            out("X-Sum", "2"),
            removed(rm("X-Debug", NAMED_IN_CONNECTION))),
        Arguments.of(named("fields nominated by the header section's Proxy-Connection are removed", in("x-debug", "1", "X-Sum", "2")),
            in("Proxy-Connection", "X-DEBUG"),
            out("X-Sum", "2"),
            removed(rm("x-debug", NAMED_IN_PROXY_CONNECTION))),
        Arguments.of(named("the trailer section's own Connection nominates too", in("Connection", "X-T", "X-T", "1", "X-Sum", "2")),
            HttpFields.EMPTY,
            out("X-Sum", "2"),
            removed(rm("Connection", ALWAYS_HOP_BY_HOP), rm("X-T", NAMED_IN_CONNECTION))),
        Arguments.of(named("fixed-list fields are removed from trailers",
                in("Keep-Alive", "1", "Transfer-Encoding", "chunked", "TE", "trailers", "Trailer", "X", "Upgrade", "h2c",
                    "Proxy-Connection", "close", "HTTP2-Settings", "x", "X-Sum", "2")),
            HttpFields.EMPTY,
            out("X-Sum", "2"),
            removed(rm("Keep-Alive", ALWAYS_HOP_BY_HOP), rm("Transfer-Encoding", ALWAYS_HOP_BY_HOP), rm("TE", ALWAYS_HOP_BY_HOP),
                rm("Trailer", ALWAYS_HOP_BY_HOP), rm("Upgrade", ALWAYS_HOP_BY_HOP), rm("Proxy-Connection", ALWAYS_HOP_BY_HOP),
                rm("HTTP2-Settings", ALWAYS_HOP_BY_HOP))),
        Arguments.of(named("Proxy-Authorization / Proxy-Authenticate in trailers are meant for the proxy",
                in("Proxy-Authorization", "Basic x", "Proxy-Authenticate", "Basic realm=r", "X-Sum", "2")),
            HttpFields.EMPTY,
            out("X-Sum", "2"),
            removed(rm("Proxy-Authorization", MEANT_FOR_PROXY), rm("Proxy-Authenticate", MEANT_FOR_PROXY))),
        Arguments.of(named("Content-Length and Host are not allowed in trailers",
                in("Content-Length", "5", "X-Sum", "2", "host", "evil")),
            HttpFields.EMPTY,
            out("X-Sum", "2"),
            removed(rm("Content-Length", NOT_ALLOWED_IN_TRAILERS), rm("host", NOT_ALLOWED_IN_TRAILERS))),
        Arguments.of(named("Content-Type, Content-Encoding, Content-Range are not allowed in trailers",
                in("Content-Type", "text/html", "Content-Encoding", "gzip", "Content-Range", "bytes 0-1/2", "ETag", "\"x\"")),
            HttpFields.EMPTY,
            out("ETag", "\"x\""),
            removed(rm("Content-Type", NOT_ALLOWED_IN_TRAILERS), rm("Content-Encoding", NOT_ALLOWED_IN_TRAILERS),
                rm("Content-Range", NOT_ALLOWED_IN_TRAILERS))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("trailerCases")
  void trailers(HttpFields trailers, HttpFields header, List<HttpField> expected, List<Removed> expectedRemoved) {
    List<HttpField> beforeTrailers = new ArrayList<>(trailers.asList());
    List<HttpField> beforeHeader = new ArrayList<>(header.asList());
    Outcome o = HeaderRules.trailers(trailers, header);
    assertForwarded(o, expected, expectedRemoved);
    assertEquals(beforeTrailers, trailers.asList(), "trailers must not change");
    assertEquals(beforeHeader, header.asList(), "header section must not change");
  }

  // ---------------------------------------------------------------- HopByHop directly

  static Stream<Arguments> nominationCases() {
    return Stream.of(
        Arguments.of(named("none", in("Host", "a")), List.of(), List.of()),
        Arguments.of(named("Connection tokens lower-cased, in order, empties dropped",
                in("Connection", " Keep-Alive, ,X-Foo ,", "connection", "UPGRADE")),
            List.of("keep-alive", "x-foo", "upgrade"),
            List.of(NAMED_IN_CONNECTION, NAMED_IN_CONNECTION, NAMED_IN_CONNECTION)),
        Arguments.of(named("Proxy-Connection after Connection; shared name keeps Connection",
                in("Proxy-Connection", "x-p, X-Both", "Connection", "x-both")),
            List.of("x-both", "x-p"),
            List.of(NAMED_IN_CONNECTION, NAMED_IN_PROXY_CONNECTION)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("nominationCases")
  void nominated(HttpFields in, List<String> names, List<Reason> reasons) {
    var map = Nominations.listed(in);
    assertEquals(names, List.copyOf(map.keySet()));
    assertEquals(reasons, List.copyOf(map.values()));
  }

  static Stream<Arguments> alwaysCases() {
    return Stream.of(
        Arguments.of(named("Connection", "Connection"), true),
        Arguments.of(named("proxy-connection", "proxy-connection"), true),
        Arguments.of(named("KEEP-ALIVE", "KEEP-ALIVE"), true),
        Arguments.of(named("Te", "Te"), true),
        Arguments.of(named("Transfer-Encoding", "Transfer-Encoding"), true),
        Arguments.of(named("Upgrade", "Upgrade"), true),
        Arguments.of(named("Trailer", "Trailer"), true),
        Arguments.of(named("Proxy-Authorization", "Proxy-Authorization"), true),
        Arguments.of(named("Proxy-Authenticate", "Proxy-Authenticate"), true),
        Arguments.of(named("http2-settings", "http2-settings"), true),
        Arguments.of(named("Trailers (not a field)", "Trailers"), false),
        Arguments.of(named("Content-Length", "Content-Length"), false),
        Arguments.of(named("Host", "Host"), false),
        Arguments.of(named("Via", "Via"), false));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("alwaysCases")
  void isAlways(String name, boolean expected) {
    assertEquals(expected, HopByHop.isAlways(name));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("fixedReasonCases")
  void fixedListReasons(String name, Reason expected) {
    assertEquals(expected, HopByHop.ALWAYS.get(name));
  }

  static Stream<Arguments> fixedReasonCases() {
    return Stream.of(
        Arguments.of(named("connection", "connection"), ALWAYS_HOP_BY_HOP),
        Arguments.of(named("proxy-connection", "proxy-connection"), ALWAYS_HOP_BY_HOP),
        Arguments.of(named("keep-alive", "keep-alive"), ALWAYS_HOP_BY_HOP),
        Arguments.of(named("te", "te"), ALWAYS_HOP_BY_HOP),
        Arguments.of(named("transfer-encoding", "transfer-encoding"), ALWAYS_HOP_BY_HOP),
        Arguments.of(named("upgrade", "upgrade"), ALWAYS_HOP_BY_HOP),
        Arguments.of(named("trailer", "trailer"), ALWAYS_HOP_BY_HOP),
        Arguments.of(named("http2-settings", "http2-settings"), ALWAYS_HOP_BY_HOP),
        Arguments.of(named("proxy-authorization", "proxy-authorization"), MEANT_FOR_PROXY),
        Arguments.of(named("proxy-authenticate", "proxy-authenticate"), MEANT_FOR_PROXY));
  }
}
