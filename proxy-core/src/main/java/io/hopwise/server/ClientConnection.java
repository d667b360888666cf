package io.hopwise.server;

import io.hopwise.ProxyListener;
import io.hopwise.ProxyListener.ClientCloseReason;
import io.hopwise.ProxyListener.ClientConnectionRecord;
import io.hopwise.ProxyOptions;
import io.hopwise.forward.ClientSide;
import io.hopwise.forward.Exchange;
import io.hopwise.http.BodyFraming;
import io.hopwise.http.HttpFields;
import io.hopwise.http.ParseOutcome;
import io.hopwise.http.Rejection;
import io.hopwise.http.RequestHead;
import io.hopwise.io.ConnectionHandler;
import io.hopwise.io.ErrorResponses;
import io.hopwise.io.Deadline;
import io.hopwise.io.LoopClock;
import io.hopwise.io.PeerInput;
import io.hopwise.io.PendingBytes;
import io.hopwise.io.SocketClosing;
import io.hopwise.io.Writes;
import io.hopwise.http.RequestTarget;
import io.hopwise.policy.Role;
import io.hopwise.policy.RoleVerdict;
import io.hopwise.tunnel.ClientTunnel;
import io.hopwise.tunnel.ConnectTunnel;
import io.hopwise.tunnel.Tunnel;
import io.hopwise.upstream.UpstreamPool;
import io.hopwise.upstream.Dialer;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;

/**
 * One client connection: parses requests in order with the strict codec, hands each to an
 * {@link Exchange}, feeds it the request body with backpressure, and decides when the connection
 * ends (RFC 9112 9). Requests are handled one at a time; pipelined bytes wait in {@code pending}
 * while the socket is paused.
 */
final class ClientConnection implements ClientSide, ConnectTunnel.ClientSide, RequestBodyFeed.Ending,
    ConnectionHandler, PeerInput.Reader {
  private enum State { HEAD, BODY, AWAIT_RESPONSE, TUNNEL, CLOSED }

  private final Vertx vertx;
  private final NetSocket socket;
  /** The socket's bytes and its end, in order (a half-close never overtakes a byte: issue 22). */
  private PeerInput input;
  private final LoopOptions loop;
  /**
   * The options for the request in progress: taken from {@link #loop} as each request head begins
   * (issue 26: a reload applies to the next request, also on a kept-alive connection).
   */
  private ProxyOptions options;
  private final UpstreamPool pool;
  private final ProxyListener listener;
  private final Runnable onClosed;
  private final AuthGate authGate;
  /** Bytes of the next request head have come: its options are taken. */
  private boolean headBegun;
  private ClientTunnel tunnel;
  /** The client shut down its output (half-close): answer what it sent, then close. */
  private boolean inputEnded;
  /** The client's FIN came before we decided to close: it closed first (issue 24). */
  private boolean clientClosedFirst;
  /** The kernel's view of the socket as the connection began to close (issue 24); null where unavailable. */
  private io.hopwise.TcpInfo atClose;
  private boolean draining;

  private State state = State.HEAD;
  private Buffer pending = PendingBytes.NONE;
  private Exchange exchange;
  /** The request body being read (state BODY). */
  private RequestBodyFeed body;
  private static final System.Logger LOG = System.getLogger("io.hopwise.connections");

  private final ClientIdentity identity;
  private int requests;
  /** Since when it has waited for a request (issue 24's view shows idle time). */
  private long idleSinceNanos = LoopClock.nanoTime();
  private ClientCloseReason closeReason;
  private final ClientTimers timers;
  /** The upstream cannot take more request body now; reading waits for its drain. */
  private boolean heldBack;
  /** The proxy-authenticated user of the last request, or null: for records. */
  private String user;
  /** The head of the request in progress (null before one parsed), and when it was complete: for refusal records. */
  private RequestHead currentHead;
  private long headDoneNanos;
  /** What request plans depend on besides the request: fixed for this connection, made at its first request. */
  /** This request's role (chosen once its user is known) and, once decided, its verdict (issue 26). */
  private Role role;
  private RoleVerdict verdict = RoleVerdict.NONE;

  /** @param options the options in force when the connection was accepted */
  ClientConnection(Vertx vertx, NetSocket socket, String remoteAddress, LoopOptions loop, ProxyOptions options,
      UpstreamPool pool, ProxyListener listener, Runnable onClosed) {
    this.vertx = vertx;
    this.socket = socket;
    this.loop = loop;
    this.options = options;
    this.pool = pool;
    this.listener = listener;
    this.authGate = new AuthGate(vertx, listener);
    this.onClosed = onClosed;
    this.identity = new ClientIdentity(socket, remoteAddress);
    this.timers = new ClientTimers(vertx, this::idleExpired, this::headExpired, () -> {
      if (exchange != null) {
        exchange.responseTimedOut();
      }
    });
  }

  @Override
  public void start() {
    listener.clientConnectionOpened();
    LOG.log(System.Logger.Level.DEBUG, identity::opened);
    input = PeerInput.of(socket, this); // the connection reads its input itself: no reader object per connection
    input.onClosed(this::closed);
    timers.betweenRequests(options.client().idleTimeout().toMillis());
  }

  /** The client's bytes, in order. */
  @Override
  public void data(Buffer data) {
    switch (state) {
      case HEAD -> {
        pending = PendingBytes.append(pending, data);
        parseNext();
      }
      case BODY -> body.feed(data);
      case AWAIT_RESPONSE -> {
        pending = PendingBytes.append(pending, data); // pipelined: kept for after this exchange, and no more read
        pauseSocket();
      }
      case TUNNEL -> tunnel.fromClient(data);
      case CLOSED -> { }
    }
  }

  private void parseNext() {
    if (state != State.HEAD) {
      return;
    }
    if (pending.length() == 0) {
      if (inputEnded) {
        closeGracefully(ClientCloseReason.CLIENT_CLOSED);
        return;
      }
      timers.betweenRequests(options.client().idleTimeout().toMillis());
      return;
    }
    if (!headBegun) {
      headBegun = true;
      takeOptionsInForce();
    }
    ParseOutcome<RequestHead> outcome = PendingBytes.parseHead(pending, loop.requestParser(options));
    if (outcome instanceof ParseOutcome.NeedMore<RequestHead>) {
      if (inputEnded) {
        closeGracefully(ClientCloseReason.CLIENT_CLOSED); // an unfinished head will not finish
        return;
      }
      timers.headStarted(options.client().headTimeout().toMillis());
      return;
    }
    timers.headDone();
    headBegun = false;
    requests++;
    headDoneNanos = LoopClock.nanoTime();
    user = null; // each request authenticates for itself, and has its role decided for itself
    role = null;
    verdict = RoleVerdict.NONE;
    currentHead = outcome instanceof ParseOutcome.Parsed<RequestHead> p ? p.head() : null;
    if (outcome instanceof ParseOutcome.Refused<RequestHead> refused) {
      refuse(refused.rejection());
      return;
    }
    var parsed = (ParseOutcome.Parsed<RequestHead>) outcome;
    RequestHead head = currentHead;
    Buffer rest = pending.slice(parsed.consumed(), pending.length());
    pending = PendingBytes.NONE;
    boolean authenticating = options.auth() != null;
    if (authenticating || head.framing().hasBody() || head.isConnect()) {
      // Nothing more is read until the exchange can take it. A request without a body needs no
      // pause: most clients send nothing more until answered, and bytes that do come (pipelined
      // requests) are kept and pause reading then. That saves a pause and a resume per request.
      pauseSocket();
    }
    if (authenticating) {
      authGate.check(options, head, identity.remoteAddress(),
          authenticated -> {
            user = authenticated;
            if (state != State.CLOSED) {
              dispatch(head, rest);
            }
          },
          (rejection, challenge) -> { // AuthGate counted it
            recordRefusal(rejection);
            reject(rejection, head.isHead(), challenge);
          });
      return;
    }
    dispatch(head, rest);
  }

  /** A new request begins: it runs under the options in force now (issue 26). */
  private void takeOptionsInForce() {
    ProxyOptions now = loop.current();
    if (now != options) {
      options = now;
    }
  }

  private void dispatch(RequestHead head, Buffer rest) {
    role = identity.roleOf(options, user);
    if (head.isConnect()) {
      startTunnel(head, rest);
      return;
    }
    BodyFraming framing = head.framing();
    long maxBody = options.limits().maxRequestBodyBytes();
    if (maxBody > 0 && framing.kind() == BodyFraming.Kind.LENGTH && framing.length() > maxBody) {
      refuse(RequestBodyFeed.tooLarge(maxBody));
      return;
    }
    loop.dialer(options); // the pool takes this request's options (a reload's first request brings them)
    Exchange ex = new Exchange(this, head, loop.targets(), options, identity.planFacts(options, loop), role, pool, listener);
    if (framing.hasBody()) {
      state = State.BODY;
      body = new RequestBodyFeed(ex, framing, rest, options.headLimits(), maxBody, this);
    } else {
      state = State.AWAIT_RESPONSE;
      pending = PendingBytes.appendCopy(pending, rest);
    }
    exchange = ex;
    ex.start();
  }

  /** CONNECT: the connection becomes a tunnel; bytes after the head are the tunnel's, unparsed. */
  private void startTunnel(RequestHead head, Buffer early) {
    RequestTarget.Result target = RequestTarget.parse(head.method(), head.target());
    if (target.rejection() != null) {
      refuse(target.rejection());
      return;
    }
    state = State.TUNNEL;
    ConnectTunnel connect = new ConnectTunnel(vertx, this, ((RequestTarget.AuthorityForm) target.target()).authority(),
        early, options, listener, loop.dialer(options), identity.planFacts(options, loop).listenPort(), role, user);
    tunnel = connect;
    connect.start();
    if (inputEnded) {
      tunnel.clientEnded();
    }
  }

  @Override
  public void upgraded(PeerInput upstream, Buffer fromUpstream, ClientSide.JoinEnded ended) {
    exchange = null;
    state = State.TUNNEL;
    Buffer fromClient = pending;
    pending = PendingBytes.NONE;
    tunnel = new Tunnel(vertx, input, upstream, options.connect().idleTimeout(), totals -> {
      ended.ended(totals.fromClient(), totals.toClient(), totals.aborted(), totals.upstreamEndedFirst(),
          totals.upstreamAtClose());
      tunnelClosed(totals.aborted());
    });
    ((Tunnel) tunnel).start(fromClient, fromUpstream);
    ((Tunnel) tunnel).clientDirect();
    if (inputEnded) {
      tunnel.clientEnded();
    }
  }

  @Override
  public PeerInput input() {
    return input;
  }

  /** The tunnel is over: close in order (all flushed, both ends passed on), or reset when it broke. */
  @Override
  public void tunnelClosed(boolean aborted) {
    if (closing(aborted ? ClientCloseReason.ABORTED : ClientCloseReason.TUNNEL_CLOSED)) {
      SocketClosing.now(socket, aborted);
    }
  }

  /** The client's input broke (a reset, an error): nothing more is read or written. */
  @Override
  public void broken(Throwable cause) {
    SocketClosing.now(socket);
  }

  /** The client half-closed, after every byte it sent: see {@link #inputEnded}. */
  @Override
  public void ended() {
    inputEnded = true;
    if (state != State.CLOSED) {
      clientClosedFirst = true;
      atClose = io.hopwise.io.TcpInfoProbe.of(socket);
    }
    switch (state) {
      case HEAD -> parseNext();
      case BODY -> bodyFailed(exchange, Rejection.badRequest("request body ended early (client shut down its output)"), false);
      case TUNNEL -> tunnel.clientEnded();
      case AWAIT_RESPONSE, CLOSED -> { } // answered first; exchangeDone closes afterwards
    }
  }

  @Override
  public void startBody() {
    if (state != State.BODY) {
      return;
    }
    body.start();
    if (state == State.BODY && !heldBack) {
      resumeSocket();
    }
  }

  @Override
  public void bodyFailed(Exchange ex, Rejection r, boolean limitExceeded) {
    if (limitExceeded) {
      state = State.AWAIT_RESPONSE; // the rest of this body is not ours to read
    }
    listener.requestRejected(r.status(), r.reason());
    ex.requestBodyFailed(r);
  }

  @Override
  public void bodyDone(Exchange ex, HttpFields trailers, Buffer rest) {
    if (state != State.BODY) {
      return;
    }
    state = State.AWAIT_RESPONSE;
    pending = PendingBytes.appendCopy(pending, rest);
    pauseSocket();
    ex.requestEnd(trailers);
  }

  @Override
  public void exchangeDone(boolean keepAlive) {
    exchange = null;
    if (state == State.CLOSED) {
      return;
    }
    if (!keepAlive || state == State.BODY || draining) {
      closeGracefully(draining ? ClientCloseReason.SHUTDOWN : ClientCloseReason.NOT_PERSISTENT);
      return;
    }
    state = State.HEAD;
    // The request is answered: an idle connection keeps nothing of it (issue 28, memory per idle
    // connection: its head, fields and their bytes were most of what hopwise itself held).
    currentHead = null;
    idleSinceNanos = LoopClock.nanoTime();
    heldBack = false;
    resumeSocket();
    parseNext();
  }

  @Override
  public void reject(Rejection rejection, boolean headOnly) {
    reject(rejection, headOnly, HttpFields.EMPTY);
  }

  /** Counts the rejection, records it, answers it and closes: for what this connection refuses itself. */
  @Override
  public void refuse(Rejection rejection) {
    listener.requestRejected(rejection.status(), rejection.reason());
    recordRefusal(rejection);
    reject(rejection, false);
  }

  /** A line for the access log: a refusal is a request too (issue 26: they were missing from it). */
  private void recordRefusal(Rejection rejection) {
    if (state != State.CLOSED) {
      listener.requestRefused(identity.refusal(options, currentHead, rejection, LoopClock.nanoTime() - headDoneNanos, user,
          role, verdict, requests));
    }
  }

  @Override
  public void decided(RoleVerdict verdict) {
    this.verdict = verdict;
  }

  @Override
  public void reject(Rejection rejection, boolean headOnly, HttpFields extra) {
    if (state == State.CLOSED) {
      return;
    }
    socket.write(ErrorResponses.render(rejection, options.pseudonym(), headOnly, extra));
    closeGracefully(rejection.status() == 408 ? ClientCloseReason.HEAD_TIMEOUT : ClientCloseReason.REJECTED);
  }

  @Override
  public void abort() {
    if (closing(ClientCloseReason.ABORTED)) {
      SocketClosing.abort(socket);
    }
  }

  /** From now on the connection is closing, for this reason; false if it already was. */
  private boolean closing(ClientCloseReason reason) {
    if (state == State.CLOSED) {
      return false;
    }
    state = State.CLOSED;
    closeReason = reason;
    snapshotAtClose();
    return true;
  }

  private void snapshotAtClose() {
    if (atClose == null) {
      atClose = io.hopwise.io.TcpInfoProbe.of(socket);
    }
  }

  /** For the connection view: what this connection is doing now (issue 24). */
  @Override
  public io.hopwise.OpenConnection describe() {
    String what = switch (state) {
      case HEAD -> pending.length() == 0 ? "idle" : "reading head";
      case BODY -> "reading body";
      case AWAIT_RESPONSE -> exchange != null && exchange.responding() ? "streaming" : "waiting for upstream";
      case TUNNEL -> "tunnel";
      case CLOSED -> "lingering";
    };
    long now = LoopClock.nanoTime();
    return identity.open(what, requests, state == State.HEAD && pending.length() == 0 ? now - idleSinceNanos : 0, now);
  }

  @Override
  public io.hopwise.ClientLeg leg() {
    return new io.hopwise.ClientLeg(identity.id, requests);
  }

  @Override
  public boolean watched() {
    return loop.watched();
  }

  @Override
  public io.hopwise.TcpInfo tcpInfo() {
    return io.hopwise.io.TcpInfoProbe.of(socket);
  }

  /** RFC 9112 9.6: every close we decide on is graceful (see SocketClosing). */
  private void closeGracefully(ClientCloseReason reason) {
    state = State.CLOSED;
    closeReason = reason;
    snapshotAtClose();
    timers.headDone();
    SocketClosing.graceful(vertx, input, options.client().lingerTimeout(), this::closed);
  }

  private void idleExpired() {
    if (state == State.HEAD && pending.length() == 0) {
      closeGracefully(ClientCloseReason.IDLE_TIMEOUT);
    }
  }

  private void headExpired() {
    if (state == State.HEAD) {
      currentHead = null; // the head never came whole: its clock started headTimeout ago
      headDoneNanos = LoopClock.nanoTime() - options.client().headTimeout().toNanos();
      refuse(new Rejection(408, "request head not received within " + options.client().headTimeout().toMillis() + " ms"));
    }
  }

  @Override
  public Deadline responseDeadline() {
    return timers.response();
  }

  /**
   * Closes at once, for shutdown. A response or tunnel still in progress is cut with a reset:
   * a plain close could pass a close-delimited body off as complete.
   */
  @Override
  public void shutdown() {
    boolean midTransfer = state != State.HEAD;
    if (closing(ClientCloseReason.SHUTDOWN)) {
      SocketClosing.now(socket, midTransfer);
    }
  }

  private void closed() {
    timers.cancel();
    State was = state;
    state = State.CLOSED;
    if (exchange != null) {
      exchange.clientGone();
      exchange = null;
    }
    if (tunnel != null) {
      tunnel.close();
    }
    ClientConnectionRecord record = identity.closed(requests, closeReason, clientClosedFirst, atClose);
    LOG.log(System.Logger.Level.DEBUG, () -> record + " closed");
    listener.clientConnectionClosed(record);
    onClosed.run();
    if (was != State.CLOSED) {
      SocketClosing.now(socket);
    }
  }

  @Override
  public void write(Buffer data) {
    if (state != State.CLOSED) {
      Writes.write(socket, data);
    }
  }

  @Override
  public boolean writeQueueFull() {
    return socket.writeQueueFull();
  }

  @Override
  public void onDrain(Runnable r) {
    socket.drainHandler(v -> {
      socket.drainHandler(null);
      r.run();
    });
  }

  @Override
  public void pauseReading() {
    heldBack = true;
    pauseSocket();
  }

  @Override
  public void resumeReading() {
    heldBack = false;
    if (state == State.BODY) {
      resumeSocket();
    }
  }

  private void pauseSocket() {
    input.pause();
  }

  private void resumeSocket() {
    input.resume();
  }

  @Override
  public void drain() {
    draining = true;
    // Idle between requests: close now (a client must expect that of a keep-alive connection).
    // A connection that has not carried a request yet was just opened for one: answer it first.
    if (state == State.HEAD && pending.length() == 0 && requests > 0) {
      closeGracefully(ClientCloseReason.SHUTDOWN);
    }
  }

  @Override
  public boolean draining() {
    return draining;
  }

  @Override
  public boolean requestBodyPending() {
    return state == State.BODY;
  }

  @Override
  public boolean isClosed() {
    return state == State.CLOSED;
  }

  @Override
  public String user() {
    return user;
  }

  @Override
  public String remoteAddress() {
    return identity.remoteAddress();
  }
}
