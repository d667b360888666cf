package io.hopwise.server;

import io.hopwise.ProxyListener;
import io.hopwise.ProxyListener.ClientCloseReason;
import io.hopwise.ProxyListener.ClientConnectionRecord;
import io.hopwise.ProxyOptions;
import io.hopwise.http.Rejection;
import io.hopwise.http.RequestHead;
import io.hopwise.policy.IpAddress;
import io.hopwise.policy.RequestPlanner;
import io.hopwise.policy.Role;
import io.hopwise.policy.RoleVerdict;
import io.vertx.core.net.NetSocket;
import java.util.List;

/**
 * Who a client connection is, worked out once and not per request: its number, its addresses as
 * text and as an address, where it reached us, the facts the request planner needs, its role for
 * a user, and the records the listener gets of it (a refusal, the connection's end).
 */
final class ClientIdentity {
  final long id = io.hopwise.io.ConnectionIds.nextClient();
  private final long openedNanos = io.hopwise.io.LoopClock.nanoTime();
  private final NetSocket socket;
  /** The client's address as text, worked out at accept (the allow-list and limits need it first). */
  private final String remoteAddress;
  private IpAddress ip;
  private RequestPlanner.Facts planFacts;
  /** The options {@link #planFacts} were made from: a reload makes them again. */
  private ProxyOptions planFactsFrom;

  ClientIdentity(NetSocket socket, String remoteAddress) {
    this.socket = socket;
    this.remoteAddress = remoteAddress;
  }

  /** The client's address as text, as the access log writes it. */
  String remoteAddress() {
    return remoteAddress;
  }

  /** The client's address, for the roles' CIDRs; null if unknown. */
  IpAddress ip() {
    if (ip == null) {
      ip = IpAddress.parse(remoteAddress).orElse(null);
    }
    return ip;
  }

  /** The role of this client with this proxy-auth user under {@code options}. */
  Role roleOf(ProxyOptions options, String user) {
    return options.compiledRoles().roleOf(user, ip());
  }

  /** The planner's facts under {@code options}, shared with the loop's like connections (see {@link PlanFactsMemo}). */
  RequestPlanner.Facts planFacts(ProxyOptions options, LoopOptions loop) {
    if (planFactsFrom != options) {
      planFactsFrom = options;
      planFacts = loop.planFacts(options, socket, remoteAddress);
    }
    return planFacts;
  }

  /** This connection as the connection view lists it (issue 24). */
  io.hopwise.OpenConnection open(String state, int requests, long idleNanos, long now) {
    return new io.hopwise.OpenConnection("client", id, io.hopwise.io.SocketAddresses.localText(socket), io.hopwise.io.SocketAddresses.remoteText(socket),
        now - openedNanos, state, requests, idleNanos, null, "", io.hopwise.io.TcpInfoProbe.of(socket));
  }

  /** "conn#7 open 127.0.0.1:50312 -> 127.0.0.1:3128", for the debug log. */
  String opened() {
    return "conn#" + id + " open " + io.hopwise.io.SocketAddresses.remoteText(socket) + " -> " + io.hopwise.io.SocketAddresses.localText(socket);
  }

  /**
   * The record of the connection's end. Who closed first (issue 24): a reset when it was aborted
   * or cut at shutdown, the client when its FIN came before we decided to close (or it just went),
   * else us.
   */
  ClientConnectionRecord closed(int requests, ClientCloseReason reason, boolean clientClosedFirst, io.hopwise.TcpInfo atClose) {
    ClientCloseReason r = reason == null ? ClientCloseReason.CLIENT_CLOSED : reason;
    io.hopwise.FirstToClose first = io.hopwise.FirstToClose.of(r == ClientCloseReason.ABORTED,
        clientClosedFirst || r == ClientCloseReason.CLIENT_CLOSED);
    return new ClientConnectionRecord(id, io.hopwise.io.SocketAddresses.remoteText(socket), io.hopwise.io.SocketAddresses.localText(socket), requests,
        r, first, io.hopwise.io.LoopClock.nanoTime() - openedNanos, atClose);
  }

  /**
   * The record of a request this connection refused itself (issue 26: a refusal is a request
   * too). {@code head} is null when it never parsed; {@code verdict} is the role's when it decided,
   * else the role the request had is named, and a policy refusal (403, 407) says its rule.
   */
  ProxyListener.ExchangeRecord refusal(ProxyOptions options, RequestHead head, Rejection rejection, long durationNanos, String user,
      Role role, RoleVerdict verdict, int requests) {
    RoleVerdict v = verdict;
    if (v == RoleVerdict.NONE && head != null) {
      v = new RoleVerdict((role != null ? role : roleOf(options, user)).name(), RoleVerdict.Outcome.ALLOW, "-");
    }
    return new ProxyListener.ExchangeRecord(remoteAddress(), head == null ? "-" : head.method(),
        head == null ? "-" : head.target(), rejection.status(), 0, 0, durationNanos, ProxyListener.UpstreamUse.NONE,
        false, List.of(), user, RoleVerdict.refusal(v, rejection), new io.hopwise.ClientLeg(id, requests), null);
  }
}
