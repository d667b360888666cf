package io.hopwise.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.hopwise.http.HeadLimits;
import io.hopwise.http.HttpField;
import io.hopwise.http.Origin;
import io.hopwise.http.ParseOutcome;
import io.hopwise.http.RequestHead;
import io.hopwise.http.RequestHeadParser;
import io.hopwise.http.RequestTarget;
import io.hopwise.http.Via;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The request planner as a table: a request head and the proxy's facts in, one plan out, written
 * as a line so a failure shows the whole decision. No sockets: every stage of Exchange.start's
 * old decisions is here, in order.
 */
class RequestPlannerTest {
  private static final RequestPlanner.Facts PROXY = new RequestPlanner.Facts(false, false, null, Via.of("hopwise"),
      "127.0.0.1", 3128, "10.1.2.3:8080", ForwardedHeaders.of(ForwardedHeaders.Mode.OFF, List.of()), "10.0.0.7", Roles.NONE);
  private static final RequestPlanner.Facts SIDECAR = new RequestPlanner.Facts(false, false,
      Origin.parse("http://127.0.0.1:8080"), Via.of("hopwise"), "127.0.0.1", 3128, "127.0.0.1:3128",
      ForwardedHeaders.of(ForwardedHeaders.Mode.X_FORWARDED_FOR, List.of()), "10.0.0.7", Roles.NONE);
  private static final RequestPlanner.Facts OPEN = new RequestPlanner.Facts(true, true, null, null,
      "127.0.0.1", 3128, "127.0.0.1:3128", ForwardedHeaders.of(ForwardedHeaders.Mode.OFF, List.of()), "10.0.0.7",
      Roles.NONE);

  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of("absolute-form: the target's authority replaces Host (RFC 9112 3.2.2)", PROXY,
            "GET http://example.com/a?b HTTP/1.1\r\nHost: other\r\n\r\n",
            "forward http://example.com /a?b [Host: example.com, Via: 1.1 hopwise]"),
        Arguments.of("hop-by-hop fields go, and are listed", PROXY,
            "GET http://example.com/ HTTP/1.1\r\nHost: x\r\nConnection: x-a\r\nX-A: 1\r\nProxy-Connection: keep-alive\r\nX-B: 2\r\n\r\n",
            "forward http://example.com / [Host: example.com, X-B: 2, Via: 1.1 hopwise] removed=[Connection, X-A, Proxy-Connection]"),
        Arguments.of("TRACE refused unless allowed, with Allow (RFC 9110 9.3.8)", PROXY,
            "TRACE http://example.com/ HTTP/1.1\r\nHost: x\r\n\r\n", "reject 405 TRACE is disabled on this proxy Allow"),
        Arguments.of("TRACE allowed goes on", OPEN,
            "TRACE http://example.com/ HTTP/1.1\r\nHost: x\r\n\r\n", "forward http://example.com / [Host: example.com]"),
        Arguments.of("an unsupported scheme is 501", PROXY,
            "GET ftp://example.com/ HTTP/1.1\r\nHost: x\r\n\r\n", "reject 501 scheme 'ftp' is not supported (http, https, ws and wss only)"),
        // Issue 26: the hint named 127.0.0.1:3128 whatever address the client had reached.
        Arguments.of("origin-form without a default upstream: the hint names the address the client reached", PROXY,
            "GET /index.html HTTP/1.1\r\nHost: x\r\n\r\n", "reject 400 this is a forward proxy: send absolute-form"
                + " requests (for example: curl -x http://10.1.2.3:8080 http://example.com/), or configure"
                + " upstream.default to forward origin-form requests"),
        Arguments.of("origin-form for the PAC file is answered here", PROXY,
            "GET /proxy.pac HTTP/1.1\r\nHost: 127.0.0.1:3128\r\n\r\n", "answer application/x-ns-proxy-autoconfig"),
        Arguments.of("origin-form goes to the default upstream, its Host kept (sidecar)", SIDECAR,
            "GET /proxy.pac HTTP/1.1\r\nHost: app\r\n\r\n",
            "forward http://127.0.0.1:8080 /proxy.pac [Host: app, Via: 1.1 hopwise, X-Forwarded-For: 10.0.0.7, X-Forwarded-Proto: http, X-Forwarded-Host: app]"),
        Arguments.of("origin-form without Host gets the default upstream's", SIDECAR,
            "GET /x HTTP/1.0\r\n\r\n",
            "forward http://127.0.0.1:8080 /x [Host: 127.0.0.1:8080, Via: 1.0 hopwise, X-Forwarded-For: 10.0.0.7, X-Forwarded-Proto: http, X-Forwarded-Host: 127.0.0.1:8080]"),
        Arguments.of("a request that passed through us is a loop (http-rules D2)", PROXY,
            "GET http://example.com/ HTTP/1.1\r\nHost: x\r\nVia: 1.1 hopwise\r\n\r\n",
            "reject 508 loop detected: this request already passed through hopwise"),
        Arguments.of("a request addressed to our own listener is a loop", PROXY,
            "GET http://127.0.0.1:3128/ HTTP/1.1\r\nHost: x\r\n\r\n",
            "reject 508 loop detected: the target http://127.0.0.1:3128 is this proxy"),
        Arguments.of("nominating Host in Connection is abuse: 400 (http-rules A5)", PROXY,
            "GET http://example.com/ HTTP/1.1\r\nHost: x\r\nConnection: Host\r\n\r\n",
            "reject 400 Connection must not name the end-to-end field 'host'"),
        Arguments.of("Max-Forwards: 0 on OPTIONS is answered here (RFC 9110 7.6.2)", PROXY,
            "OPTIONS http://example.com/ HTTP/1.1\r\nHost: x\r\nMax-Forwards: 0\r\nConnection: x-a\r\n\r\n",
            "answer null removed=[Connection]"),
        Arguments.of("Max-Forwards is decremented on OPTIONS", PROXY,
            "OPTIONS http://example.com/ HTTP/1.1\r\nHost: x\r\nMax-Forwards: 3\r\n\r\n",
            "forward http://example.com / [Host: example.com, Max-Forwards: 2, Via: 1.1 hopwise]"),
        Arguments.of("a WebSocket upgrade is re-requested when allowed", OPEN,
            "GET http://example.com/ws HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n",
            // Issue 26: Upgrade went on, so it is not reported as removed (it was, before).
            "forward http://example.com /ws [Host: example.com, Upgrade: websocket, Connection: Upgrade] ws removed=[Connection]"),
        Arguments.of("TE: trailers goes on, and is not reported as removed", PROXY,
            "GET http://example.com/ HTTP/1.1\r\nHost: x\r\nTE: trailers\r\nConnection: TE\r\n\r\n",
            "forward http://example.com / [Host: example.com, TE: trailers, Connection: TE, Via: 1.1 hopwise] removed=[Connection]"),
        Arguments.of("a WebSocket upgrade is stripped when not allowed", PROXY,
            "GET http://example.com/ws HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n",
            "forward http://example.com /ws [Host: example.com, Via: 1.1 hopwise] removed=[Connection, Upgrade]"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void plans(String name, RequestPlanner.Facts facts, String head, String expected) {
    assertEquals(expected, describe(RequestPlanner.plan(parse(head), new RequestTarget.Memo(), facts, Role.DEFAULT)));
  }

  private static final Role ENFORCED = new Role("payments", Role.Mode.ENFORCE, List.of(), List.of(),
      List.of("api.stripe.com", "127.0.0.1"), List.of(), PortRanges.NONE, true);
  private static final Role REPORTED = new Role("crawler", Role.Mode.REPORT, List.of(), List.of(),
      List.of("*.wikipedia.org"), List.of(), PortRanges.NONE, true);
  private static final Roles ROLES = Roles.of(List.of(ENFORCED, REPORTED), null, null);

  private static RequestPlanner.Facts withRoles(RequestPlanner.Facts f) {
    return new RequestPlanner.Facts(f.allowTrace(), f.allowWebSocket(), f.defaultUpstream(), f.via(), f.listenHost(),
        f.listenPort(), f.reachedAt(), f.forwarded(), f.clientAddress(), ROLES);
  }

  // Issue 26: the client's role decides before anything goes upstream.
  static Stream<Arguments> roles() {
    return Stream.of(
        Arguments.of("an enforcing role refuses what it does not allow (403)", withRoles(PROXY), ENFORCED,
            "GET http://evil.test/ HTTP/1.1\r\nHost: x\r\n\r\n",
            "reject 403 role payments does not allow evil.test:80 (not in allow) verdict=payments deny not in allow"),
        Arguments.of("an enforcing role lets through what it allows", withRoles(PROXY), ENFORCED,
            "GET https://api.stripe.com/v1 HTTP/1.1\r\nHost: x\r\n\r\n",
            "forward https://api.stripe.com /v1 [Host: api.stripe.com, Via: 1.1 hopwise] verdict=payments allow allow api.stripe.com"),
        Arguments.of("a reporting role lets it through, marked", withRoles(PROXY), REPORTED,
            "GET http://evil.test/ HTTP/1.1\r\nHost: x\r\n\r\n",
            "forward http://evil.test / [Host: evil.test, Via: 1.1 hopwise] verdict=crawler report-deny not in allow"),
        Arguments.of("the role decides on the default upstream for origin-form (sidecar)", withRoles(SIDECAR), ENFORCED,
            "GET /x HTTP/1.1\r\nHost: app\r\n\r\n",
            "forward http://127.0.0.1:8080 /x [Host: app, Via: 1.1 hopwise, X-Forwarded-For: 10.0.0.7, X-Forwarded-Proto: http,"
                + " X-Forwarded-Host: app] verdict=payments allow allow 127.0.0.1/32"),
        Arguments.of("a later stage's refusal keeps the role's verdict", withRoles(PROXY), REPORTED,
            "GET http://127.0.0.1:3128/ HTTP/1.1\r\nHost: x\r\n\r\n",
            "reject 508 loop detected: the target http://127.0.0.1:3128 is this proxy verdict=crawler report-deny not in allow"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource
  void roles(String name, RequestPlanner.Facts facts, Role role, String head, String expected) {
    RequestPlanner.Plan plan = RequestPlanner.plan(parse(head), new RequestTarget.Memo(), facts, role);
    RoleVerdict v = plan instanceof RequestPlanner.Forward f ? f.verdict()
        : plan instanceof RequestPlanner.Reject r ? r.verdict() : RoleVerdict.NONE;
    String verdict = v == RoleVerdict.NONE ? "" : " verdict=" + v.role() + " " + v.outcome().configName() + " " + v.rule();
    assertEquals(expected, describe(plan) + verdict);
  }

  // The client's forwarding fields are added after stripping, so a Connection token cannot remove them.
  @Test
  void forwardingFieldsComeAfterStripping() {
    String head = "GET http://example.com/ HTTP/1.1\r\nHost: x\r\nConnection: X-Forwarded-For\r\n\r\n";
    assertEquals("reject 400 Connection must not name the end-to-end field 'x-forwarded-for'", describe(RequestPlanner.plan(parse(head), new RequestTarget.Memo(), SIDECAR, Role.DEFAULT)));
  }

  private static RequestHead parse(String head) {
    byte[] b = head.getBytes(StandardCharsets.ISO_8859_1);
    return ((ParseOutcome.Parsed<RequestHead>) new RequestHeadParser(HeadLimits.DEFAULT).parse(b, b.length)).head();
  }

  private static String describe(RequestPlanner.Plan plan) {
    if (plan instanceof RequestPlanner.Reject r) {
      String line = "reject " + r.rejection().status() + " " + r.rejection().reason();
      return r.extra().contains("Allow") ? line + " Allow" : line;
    }
    if (plan instanceof RequestPlanner.Answer a) {
      return "answer " + a.answer().fields().get("Content-Type") + removed(a.removed());
    }
    RequestPlanner.Forward f = (RequestPlanner.Forward) plan;
    String fields = f.fields().asList().stream().map(HttpField::toString).collect(Collectors.joining(", "));
    return "forward " + f.origin() + " " + f.path() + " [" + fields + "]" + (f.webSocket() ? " ws" : "") + removed(f.removed());
  }

  private static String removed(List<io.hopwise.http.HopByHop.Removed> removed) {
    return removed.isEmpty() ? "" : " removed=" + removed.stream().map(io.hopwise.http.HopByHop.Removed::name).toList();
  }
}
