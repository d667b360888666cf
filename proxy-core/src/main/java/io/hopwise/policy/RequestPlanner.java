package io.hopwise.policy;

import io.hopwise.http.HeaderRules;
import io.hopwise.http.HopByHop.Removed;
import io.hopwise.http.HttpFields;
import io.hopwise.http.LocalAnswers;
import io.hopwise.http.LoopDetection;
import io.hopwise.http.MaxForwards;
import io.hopwise.http.Origin;
import io.hopwise.http.PacFile;
import io.hopwise.http.Rejection;
import io.hopwise.http.RequestHead;
import io.hopwise.http.RequestTarget;
import io.hopwise.http.Upgrades;
import io.hopwise.http.Via;
import java.util.List;

/**
 * What to do with a request head, decided before any socket is touched (Envoy's
 * conn_manager_utility split, for ease of testing): refuse it, answer it here, or forward it to
 * one origin with these fields. Pure: no I/O, no clock. CONNECT never comes here (the client
 * connection turns it into a tunnel first). The stages run in this order, each with its reason:
 * <ol>
 *   <li>TRACE, unless allowed: it reflects requests, credentials included (RFC 9110 9.3.8).
 *   <li>The target: absolute-form names the origin, and its authority replaces the received Host
 *       (RFC 9112 3.2.2); origin-form goes to the default upstream if one is set (sidecar use),
 *       else it may ask for the PAC file; otherwise this is not a proxy request (400).
 *   <li>The client's role ({@link Roles}): a denial its mode enforces is refused (403); one it
 *       only reports goes on, marked {@code report-deny} (issue 26).
 *   <li>Loops: a request that came from us, or is addressed to us, is refused (508).
 *   <li>Header rules: hop-by-hop fields removed, abuse refused (http-rules A1-A5), a WebSocket
 *       upgrade re-requested when allowed.
 *   <li>Max-Forwards: at 0, TRACE and OPTIONS are answered here (RFC 9110 7.6.2).
 *   <li>Forwarding fields (Forwarded, X-Forwarded-*) are added last, after stripping, so a
 *       Connection token cannot nominate them away (http-rules A5).
 * </ol>
 */
public final class RequestPlanner {
  private RequestPlanner() {}

  /**
   * What the plan depends on besides the request: the proxy's settings and the client's address,
   * fixed for a client connection.
   *
   * @param defaultUpstream where origin-form requests go, or null (a plain forward proxy)
   * @param via our Via entries (our pseudonym is how loops are seen); null adds none
   * @param listenHost and {@code listenPort}: where the proxy listens (loops, the PAC file)
   * @param reachedAt the address the client connected to, {@code host:port}, for hints
   * @param roles the proxy's roles, to decide for the client's role
   */
  public record Facts(boolean allowTrace, boolean allowWebSocket, Origin defaultUpstream, Via via,
      String listenHost, int listenPort, String reachedAt, ForwardedHeaders forwarded, String clientAddress,
      Roles roles) {}

  /** One of three plans. {@code removed} lists the hop-by-hop fields the rules took out. */
  public sealed interface Plan {}

  /**
   * Refuse: nothing goes upstream; {@code extra} fields go with the error (e.g. Allow);
   * {@code verdict}: the role's, when the role refused, else {@link RoleVerdict#NONE}.
   */
  public record Reject(Rejection rejection, HttpFields extra, RoleVerdict verdict) implements Plan {
    Reject(Rejection rejection) {
      this(rejection, HttpFields.EMPTY, RoleVerdict.NONE);
    }

    Reject(Rejection rejection, HttpFields extra) {
      this(rejection, extra, RoleVerdict.NONE);
    }
  }

  /** Answer here with a 200 of this body (the PAC file, a TRACE or OPTIONS at Max-Forwards: 0). */
  public record Answer(LocalAnswers.Answer answer, List<Removed> removed) implements Plan {}

  /** Forward to {@code origin} as {@code method path} with {@code fields}; {@code verdict}: the role's. */
  public record Forward(Origin origin, String path, HttpFields fields, boolean webSocket, List<Removed> removed,
      RoleVerdict verdict) implements Plan {}

  /** The 400 for an origin-form request to a plain forward proxy, with a hint at the address the client used. */
  static String notAProxyRequest(String reachedAt) {
    return "this is a forward proxy: send absolute-form requests (for example: curl -x http://" + reachedAt
        + " http://example.com/), or configure upstream.default to forward origin-form requests";
  }

  /**
   * {@code targets} is the client connection's memo of its last absolute target (usually reused);
   * {@code role} is the client's role for this request.
   */
  public static Plan plan(RequestHead request, RequestTarget.Memo targets, Facts facts, Role role) {
    if (request.method().equals("TRACE") && !facts.allowTrace()) {
      return new Reject(new Rejection(405, "TRACE is disabled on this proxy"), HttpFields.of("Allow", LocalAnswers.ALLOW));
    }
    RequestTarget.Result parsed = targets.parse(request.method(), request.target());
    if (parsed.rejection() != null) {
      return new Reject(parsed.rejection());
    }
    Origin origin;
    String path;
    String hostField;
    RequestTarget target = parsed.target();
    if (target instanceof RequestTarget.Absolute a) {
      origin = a.origin();
      path = a.pathAndQuery();
      hostField = origin.hostField();
    } else if (facts.defaultUpstream() == null && PacFile.isRequest(request.method(), target)) {
      return new Answer(LocalAnswers.pacFile(request, facts.listenHost(), facts.listenPort()), List.of());
    } else {
      origin = facts.defaultUpstream();
      path = target instanceof RequestTarget.OriginForm o ? o.pathAndQuery() : "*";
      hostField = origin == null || request.fields().contains("Host") ? null : origin.hostField();
    }
    if (origin == null) {
      return new Reject(Rejection.badRequest(notAProxyRequest(facts.reachedAt())));
    }
    RoleVerdict verdict = facts.roles().decide(role, origin.host(), origin.port(), false);
    if (verdict.denied()) {
      return new Reject(roleRefusal(verdict, origin.host(), origin.port()), HttpFields.EMPTY, verdict);
    }
    String loop = LoopDetection.loop(request.fields(), origin, facts.via() == null ? null : facts.via().pseudonym(),
        facts.listenHost(), facts.listenPort());
    if (loop != null) {
      return new Reject(new Rejection(508, loop), HttpFields.EMPTY, verdict);
    }
    boolean webSocket = facts.allowWebSocket()
        && Upgrades.asksForWebSocket(request.method(), request.version(), request.fields());
    HeaderRules.Outcome rules = HeaderRules.request(request.fields(),
        new HeaderRules.RequestFacts(request.version(), hostField, facts.via(), webSocket));
    if (rules.rejected()) {
      return new Reject(rules.rejection(), HttpFields.EMPTY, verdict);
    }
    MaxForwards.Step hops = MaxForwards.apply(request.method(), rules.fields());
    if (hops instanceof MaxForwards.AnswerHere) {
      return new Answer(LocalAnswers.maxForwardsReached(request, facts.allowTrace()), rules.reported());
    }
    HttpFields toSend = facts.forwarded().apply(((MaxForwards.Forward) hops).fields(), facts.clientAddress(),
        origin.scheme(), hostField != null ? hostField : request.fields().get("Host"));
    return new Forward(origin, path, toSend, webSocket, rules.reported(), verdict);
  }

  /** The 403 of a role that refuses a destination (requests and CONNECT alike). */
  public static Rejection roleRefusal(RoleVerdict verdict, String host, int port) {
    return new Rejection(403, "role " + verdict.role() + " does not allow " + io.hopwise.http.Authority.forUri(host) + ":"
        + port + " (" + verdict.rule() + ")");
  }
}
