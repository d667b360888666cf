package io.hopwise.tunnel;

import io.hopwise.ProxyListener;
import io.hopwise.ProxyOptions;
import io.hopwise.http.Authority;
import io.hopwise.http.HttpFields;
import io.hopwise.http.LoopDetection;
import io.hopwise.http.Origin;
import io.hopwise.policy.ClientHello;
import io.hopwise.policy.RequestPlanner;
import io.hopwise.policy.Role;
import io.hopwise.policy.RoleVerdict;
import io.hopwise.policy.SniCheck;
import io.hopwise.http.Rejection;
import io.hopwise.io.PeerInput;
import io.hopwise.io.SocketClosing;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.hopwise.upstream.Dialer;
import io.hopwise.upstream.UpstreamFailure;
import io.vertx.core.net.NetSocket;

/**
 * CONNECT (RFC 9110 9.3.6, http-rules C6): check the port, connect first, then answer 200 with no
 * framing and join both sockets in a {@link Tunnel}. Bytes the client sent before our 200 are
 * forwarded, never parsed.
 */
public final class ConnectTunnel implements ClientTunnel {
  /** What the tunnel needs from the client connection that asked for it. */
  public interface ClientSide {
    /** The client connection's input (its socket with it). */
    PeerInput input();

    /** Refuse with an error response and close; the early bytes are discarded. */
    void refuse(Rejection rejection);

    /** What the client's role decided for this tunnel, for the record of a refusal. */
    void decided(RoleVerdict verdict);

    /**
     * The tunnel is over; close the client connection now: in order (everything was flushed and
     * both ends passed on), or with a reset when {@code aborted}.
     */
    void tunnelClosed(boolean aborted);

    /** The client connection's id and this CONNECT's number on it (issue 24). */
    io.hopwise.ClientLeg leg();
  }

  private static final System.Logger LOG = System.getLogger("io.hopwise.connections");
  private static final Buffer ESTABLISHED = Buffer.buffer("HTTP/1.1 200 Connection established\r\n\r\n");

  private final Vertx vertx;
  private final ClientSide client;
  private final Authority target;
  private final ProxyOptions options;
  private final ProxyListener listener;
  private final Dialer dialer;
  private final int listenPort;
  private final Role role;
  private final String user;
  private RoleVerdict verdict = RoleVerdict.NONE;
  /** The client's bytes held back until its ClientHello is read (the SNI check), else null. */
  private Buffer held;
  private final long startNanos = System.nanoTime();
  private Buffer early;
  private Tunnel tunnel;
  private boolean clientEnded;
  private boolean closed;

  public ConnectTunnel(Vertx vertx, ClientSide client, Authority target, Buffer early, ProxyOptions options,
      ProxyListener listener, Dialer dialer, int listenPort, Role role, String user) {
    this.vertx = vertx;
    this.client = client;
    this.target = target;
    this.early = early.copy();
    this.options = options;
    this.listener = listener;
    this.dialer = dialer;
    this.listenPort = listenPort;
    this.role = role;
    this.user = user;
  }

  public void start() {
    // The client's role first (issue 26): its rule is the one to name when the global rules would refuse too.
    verdict = options.compiledRoles().decide(role, target.host(), target.port(), true);
    client.decided(verdict);
    if (verdict.denied()) {
      client.refuse(RequestPlanner.roleRefusal(verdict, target.host(), target.port()));
      return;
    }
    if (!options.connect().ports().contains(target.port())) {
      client.refuse(new Rejection(403, "CONNECT to port " + target.port() + " is not allowed (connect.ports: "
          + options.connect().ports() + ")"));
      return;
    }
    Origin asOrigin = new Origin("https", target.host(), target.port());
    String loop = LoopDetection.loop(HttpFields.EMPTY, asOrigin, null, options.host(), listenPort);
    if (loop != null) {
      client.refuse(new Rejection(508, loop));
      return;
    }
    client.input().pause();
    // RFC 9110 9.3.6: connect first; only a working tunnel is answered with 2xx. The dialer
    // applies the destination policy (403) to the name and the resolved address.
    String authority = target.hostForUri() + ":" + target.port(); // how failures name it: no scheme was asked for
    dialer.dialTimed(new Origin("http", target.host(), target.port()), authority, true).onComplete(ar -> {
      if (ar.failed()) {
        client.refuse(ar.cause() instanceof UpstreamFailure f ? f.toRejection()
            : UpstreamFailure.connectFailed(authority, target.host(), ar.cause()).toRejection());
      } else if (closed) {
        SocketClosing.now(ar.result().socket());
      } else {
        established(ar.result());
      }
    });
  }

  /**
   * The record of a tunnel's upstream connection (issue 24): who ended first, and so holds the
   * TIME_WAIT; a broken tunnel is a reset.
   */
  private io.hopwise.UpstreamConnectionRecord upstreamRecord(long id, NetSocket upstream, Tunnel.Totals totals,
      long establishedNanos) {
    var l = upstream.localAddress();
    var r = upstream.remoteAddress();
    ProxyListener.CloseReason reason = totals.aborted() ? ProxyListener.CloseReason.ERROR
        : totals.upstreamEndedFirst() ? ProxyListener.CloseReason.PEER_CLOSED : ProxyListener.CloseReason.NOT_REUSABLE;
    return new io.hopwise.UpstreamConnectionRecord(id, new Origin("http", target.host(), target.port()),
        io.hopwise.io.SocketAddresses.text(l), io.hopwise.io.SocketAddresses.text(r), 1,
        System.nanoTime() - establishedNanos, reason,
        totals.aborted() ? "tunnel broken or idle" : totals.upstreamEndedFirst() ? "tunnel: the origin ended first"
            : "tunnel: the client ended first",
        io.hopwise.FirstToClose.of(totals.aborted(), totals.upstreamEndedFirst()),
        totals.upstreamAtClose());
  }

  /** Data the client connection received (it is paused while connecting, but not instantly). */
  @Override
  public void fromClient(Buffer data) {
    if (held != null) {
      held.appendBuffer(data);
      checkHello();
    } else if (tunnel != null) {
      tunnel.fromClient(data);
    } else if (early != null) {
      early.appendBuffer(data);
    }
  }

  private void established(Dialer.Dialed dialed) {
    NetSocket upstream = dialed.socket();
    long upstreamId = io.hopwise.io.ConnectionIds.nextUpstream();
    long establishedNanos = System.nanoTime();
    listener.tunnelOpened(target.host(), target.port());
    client.input().socket().write(ESTABLISHED);
    tunnel = new Tunnel(vertx, client.input(), PeerInput.of(upstream, null), options.connect().idleTimeout(), totals -> {
      closed = true;
      var from = client.input().socket().remoteAddress();
      ProxyListener.TunnelRecord record = new ProxyListener.TunnelRecord(from == null ? "-" : from.hostAddress(),
          target.host(), target.port(),
          totals.fromClient(), totals.toClient(), System.nanoTime() - startNanos, totals.aborted(), user, verdict,
          client.leg(), new io.hopwise.UpstreamLeg(upstreamId, false, 0, dialed.dnsNanos(), dialed.connectNanos(),
              dialed.tlsNanos(), -1, System.nanoTime() - establishedNanos, dialed.atConnect())
              .routed(dialed.route(), dialed.parent() == null ? null : dialed.parent().name()));
      listener.upstreamConnectionClosed(upstreamRecord(upstreamId, upstream, totals, establishedNanos));
      LOG.log(System.Logger.Level.DEBUG, () -> "tunnel closed " + record);
      listener.tunnelClosed(record);
      client.tunnelClosed(totals.aborted());
    });
    Buffer pending = early;
    early = null;
    if (options.connect().sniCheck() != SniCheck.Mode.OFF) {
      // Upstream to client flows at once (a server may speak first: SSH); the client's bytes wait
      // for its ClientHello to be read.
      held = pending;
      pending = Buffer.buffer(0);
    }
    // Through a parent, the origin's first bytes may have come with the parent's 2xx (issue 27).
    tunnel.start(pending, dialed.early());
    if (held != null) {
      checkHello();
    } else {
      tunnel.clientDirect();
    }
    if (clientEnded) {
      release();
      tunnel.clientEnded();
    }
  }

  /**
   * Reads the held bytes as a ClientHello; once it is whole (or is no ClientHello) decides: a
   * server name that does not fit the CONNECT (domain fronting, issue 26) is logged, and with
   * {@code sniCheck: enforce} the tunnel is closed before a byte of it reaches the upstream.
   */
  private void checkHello() {
    byte[] bytes = held.getBytes(); // at most one ClientHello (about 16 KB): copied a few times at most
    ClientHello.Result hello = ClientHello.serverName(bytes, bytes.length);
    if (hello instanceof ClientHello.NeedMore) {
      return;
    }
    String why = SniCheck.mismatch(target.host(), target.port(), hello, options.compiledRoles(), role);
    if (why != null) {
      boolean enforce = options.connect().sniCheck() == SniCheck.Mode.ENFORCE;
      verdict = new RoleVerdict(verdict.role(), enforce ? RoleVerdict.Outcome.DENY : RoleVerdict.Outcome.REPORT_DENY,
          "sniCheck: " + why);
      LOG.log(System.Logger.Level.INFO, () -> "tunnel to " + target.host() + ":" + target.port() + " "
          + (enforce ? "closed" : "reported") + ": " + why);
      if (enforce) {
        held = null;
        tunnel.close();
        return;
      }
    }
    release();
  }

  /** Lets the held bytes go on; from now on the client's bytes pass straight through. */
  private void release() {
    Buffer h = held;
    held = null;
    if (h != null && h.length() > 0) {
      tunnel.fromClient(h);
    }
    tunnel.clientDirect();
  }

  /** The client shut down its output (half-close). */
  @Override
  public void clientEnded() {
    clientEnded = true;
    if (tunnel != null) {
      release(); // the client said all it will: what came goes on (the check has seen it)
      tunnel.clientEnded();
    }
  }

  /** The client connection closed, or the proxy is stopping. */
  @Override
  public void close() {
    if (tunnel != null) {
      tunnel.close();
    } else if (!closed) {
      closed = true;
      client.tunnelClosed(true);
    }
  }
}
