package io.hopwise.dumb;

import io.hopwise.ProxyListener;
import io.hopwise.ProxyListener.ClientCloseReason;
import io.hopwise.ProxyListener.ClientConnectionRecord;
import io.hopwise.ProxyListener.CloseReason;
import io.hopwise.ProxyOptions;
import io.hopwise.http.BodyFraming;
import io.hopwise.http.BodyReader;
import io.hopwise.http.HttpFields;
import io.hopwise.http.LoopDetection;
import io.hopwise.http.Origin;
import io.hopwise.http.ParseOutcome;
import io.hopwise.http.Rejection;
import io.hopwise.http.RequestHead;
import io.hopwise.http.RequestHeadParser;
import io.hopwise.http.RequestTarget;
import io.hopwise.io.ConnectionHandler;
import io.hopwise.io.ErrorResponses;
import io.hopwise.io.PeerInput;
import io.hopwise.io.SocketClosing;
import io.hopwise.policy.RequestPlanner;
import io.hopwise.policy.RoleVerdict;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.hopwise.upstream.Dialer;
import io.hopwise.upstream.UpstreamFailure;
import io.vertx.core.net.NetSocket;

/**
 * The dumb proxy of HTTP: The Definitive Guide, 4.5.6, as its own strategy: it reads just enough
 * of the first request to know where to connect, opens a new upstream connection (no pool),
 * relays that request's bytes unchanged (Connection, Keep-Alive and Proxy-Connection included),
 * relays the response bytes back, and considers the exchange over only when the upstream closes.
 * A second request on the same client connection is never expected, so it is ignored: with a
 * keep-alive client and a keep-alive origin, that is the famous hang. It never calls HeaderRules.
 */
public final class DumbRelay implements ConnectionHandler {
  private static final System.Logger LOG = System.getLogger("io.hopwise.connections");

  private enum State { READING_HEAD, CONNECTING, FORWARDING_BODY, WAITING_FOR_CLOSE, CLOSED }

  private final Vertx vertx;
  private final NetSocket client;
  private final Dialer dialer;
  private final ProxyOptions options;
  private final ProxyListener listener;
  private final Runnable onClosed;
  private final RequestHeadParser parser;
  private final long id = io.hopwise.io.ConnectionIds.nextClient();
  private final long openedNanos = io.hopwise.io.LoopClock.nanoTime();
  /** The one request (issue 24: dumb mode's exchanges are in the records too), once its head parsed. */
  private RequestHead head;
  private long headNanos;
  private long connectedNanos;
  private long firstByteNanos;
  private long bytesToUpstream;
  private long bytesToClient;
  private Dialer.Dialed dialed;
  private long upstreamId;
  /** How the upstream side ended: its FIN, a break, or neither (we closed it). */
  private boolean upstreamFinished;
  private boolean upstreamFailed;
  private boolean clientClosedFirst;
  private io.hopwise.TcpInfo clientAtClose;
  private io.hopwise.TcpInfo upstreamAtClose;
  private Rejection refusal;
  /** The status in the response's first bytes, read for the records only (0: not seen). */
  private int status;

  private State state = State.READING_HEAD;
  private Buffer pending = Buffer.buffer();
  private NetSocket upstream;
  /** Each socket's bytes and its end, in order (an end never overtakes a byte: issue 22). */
  private PeerInput clientInput;
  private PeerInput upstreamInput;
  /** The client half-closed before the upstream was there: pass it on once connected. */
  private boolean clientEndedEarly;
  private Origin origin;
  /** Finds where the request body ends; its bytes go on exactly as the client framed them. */
  private BodyReader body;
  // Bytes after the body are ignored: a dumb proxy expects no second request.
  private final BodyReader.Sink relayed = BodyReader.Sink.of(this::relay, (trailers, rest) -> bodyRelayed());
  private ClientCloseReason closeReason;
  private long timer = -1;
  private State afterConnect;

  public DumbRelay(Vertx vertx, NetSocket client, Dialer dialer, ProxyOptions options,
      ProxyListener listener, Runnable onClosed) {
    this.vertx = vertx;
    this.client = client;
    this.dialer = dialer;
    this.options = options;
    this.listener = listener;
    this.onClosed = onClosed;
    this.parser = new RequestHeadParser(options.headLimits());
  }

  @Override
  public void start() {
    listener.clientConnectionOpened();
    clientInput = PeerInput.of(client, PeerInput.Reader.of(this::fromClient, this::clientEnded,
        cause -> SocketClosing.now(client)));
    clientInput.onClosed(this::closed);
    timer = vertx.setTimer(options.client().headTimeout().toMillis(), t -> {
      if (state == State.READING_HEAD) {
        refuse(new Rejection(408, "request head not received in time"));
      }
    });
  }

  private void fromClient(Buffer data) {
    switch (state) {
      case READING_HEAD -> {
        pending.appendBuffer(data);
        readHead();
      }
      case CONNECTING -> {
        if (afterConnect == State.FORWARDING_BODY) {
          forwardBody(data); // held in pending until the upstream is there
        }
      }
      case FORWARDING_BODY -> forwardBody(data);
      case WAITING_FOR_CLOSE, CLOSED -> { } // a dumb proxy expects no second request: ignored
    }
  }

  private void readHead() {
    byte[] bytes = pending.getBytes();
    ParseOutcome<RequestHead> outcome = parser.parse(bytes, bytes.length);
    if (outcome instanceof ParseOutcome.NeedMore<RequestHead>) {
      return;
    }
    vertx.cancelTimer(timer);
    if (outcome instanceof ParseOutcome.Refused<RequestHead> refused) {
      refuse(refused.rejection());
      return;
    }
    RequestHead head = ((ParseOutcome.Parsed<RequestHead>) outcome).head();
    this.head = head;
    headNanos = io.hopwise.io.LoopClock.nanoTime();
    RequestTarget target = RequestTarget.parse(head.method(), head.target()).target();
    if (target instanceof RequestTarget.Absolute a && !a.origin().isTls()) {
      origin = a.origin();
    } else if (target instanceof RequestTarget.OriginForm && options.upstream().defaultUpstream() != null) {
      origin = options.upstream().defaultUpstream();
    } else {
      refuse(new Rejection(501, "dumb mode relays plain http:// requests only"));
      return;
    }
    // Egress roles hold in dumb mode too (by client address: this mode has no proxy authentication).
    var roles = options.compiledRoles();
    var addr = client.remoteAddress();
    RoleVerdict verdict = roles.decide(roles.roleOf(null, addr == null ? null
        : io.hopwise.policy.IpAddress.parse(addr.hostAddress()).orElse(null)), origin.host(), origin.port(), false);
    if (verdict.denied()) {
      refuse(RequestPlanner.roleRefusal(verdict, origin.host(), origin.port()));
      return;
    }
    // Even a dumb proxy must not connect to itself: each hop would open another connection.
    String loop = LoopDetection.loop(HttpFields.EMPTY, origin, null, options.host(), client.localAddress().port());
    if (loop != null) {
      refuse(new Rejection(508, loop));
      return;
    }
    // Everything received so far goes on unchanged: the head as the client wrote it.
    int headLength = ((ParseOutcome.Parsed<RequestHead>) outcome).consumed();
    Buffer first = pending.slice(0, headLength);
    Buffer rest = pending.slice(headLength, pending.length());
    pending = Buffer.buffer().appendBuffer(first);
    BodyFraming framing = head.framing();
    body = BodyReader.relaying(framing, 65536, 100);
    state = framing.hasBody() ? State.FORWARDING_BODY : State.WAITING_FOR_CLOSE;
    if (state == State.FORWARDING_BODY && rest.length() > 0) {
      forwardBody(rest); // appends to pending until the upstream is there
    }
    afterConnect = state;
    state = State.CONNECTING;
    clientInput.pause();
    dialer.dialDumb(origin, origin.toString()).onComplete(ar -> {
      if (ar.failed()) {
        refuse(ar.cause() instanceof UpstreamFailure f ? f.toRejection()
            : new Rejection(502, "cannot connect to " + origin + ": " + ar.cause().getMessage()));
        return;
      }
      if (state == State.CLOSED) {
        ar.result().socket().close();
        return;
      }
      connected(ar.result());
    });
  }

  private void connected(Dialer.Dialed d) {
    NetSocket up = d.socket();
    dialed = d;
    upstreamId = io.hopwise.io.ConnectionIds.nextUpstream();
    connectedNanos = io.hopwise.io.LoopClock.nanoTime();
    upstream = up;
    listener.upstreamConnectionOpened(origin);
    upstreamInput = PeerInput.of(up, PeerInput.Reader.of(this::toClient, this::upstreamEnded, cause -> upstreamBroke()));
    bytesToUpstream += pending.length();
    up.write(pending);
    pending = null;
    state = afterConnect == State.FORWARDING_BODY && !body.isDone() ? State.FORWARDING_BODY : State.WAITING_FOR_CLOSE;
    if (clientEndedEarly) {
      SocketClosing.shutdownOutputAfterFlush(up, () -> {});
    }
    clientInput.resume();
  }

  private void toClient(Buffer data) {
    if (firstByteNanos == 0) {
      firstByteNanos = io.hopwise.io.LoopClock.nanoTime();
      status = statusOf(data);
    }
    bytesToClient += data.length();
    client.write(data);
    if (client.writeQueueFull()) {
      upstreamInput.pause();
      client.drainHandler(v -> upstreamInput.resume());
    }
  }

  /** The upstream's close, after its last byte: the only end of an exchange a dumb proxy knows. */
  private void upstreamEnded() {
    upstreamFinished = true;
    if (state != State.CLOSED) {
      state = State.CLOSED;
      closeReason = ClientCloseReason.UPSTREAM_CLOSED;
      upstreamAtClose = io.hopwise.io.TcpInfoProbe.of(upstream);
      clientAtClose = io.hopwise.io.TcpInfoProbe.of(client);
      SocketClosing.now(upstream);
      SocketClosing.graceful(vertx, clientInput, options.client().lingerTimeout(), this::closed);
    }
  }

  /** The upstream broke (reset, error): the client must not take what it got for a whole response. */
  private void upstreamBroke() {
    upstreamFailed = true;
    if (state != State.CLOSED) {
      state = State.CLOSED;
      closeReason = ClientCloseReason.ABORTED;
      SocketClosing.abort(client);
    }
    SocketClosing.now(upstream);
  }

  /**
   * The client shut down its output, after every byte it sent: a byte relay passes that on to
   * the upstream (TCP half-close) and waits for the upstream's close as before.
   */
  private void clientEnded() {
    if (state != State.CLOSED) {
      clientClosedFirst = true;
    }
    switch (state) {
      case READING_HEAD -> {
        state = State.CLOSED;
        closeReason = ClientCloseReason.CLIENT_CLOSED;
        SocketClosing.now(client);
      }
      case CONNECTING -> clientEndedEarly = true;
      case FORWARDING_BODY, WAITING_FOR_CLOSE -> SocketClosing.shutdownOutputAfterFlush(upstream, () -> {});
      case CLOSED -> { }
    }
  }

  /** Relays raw body bytes of the first request; the decoder only finds where it ends. */
  private void forwardBody(Buffer data) {
    body.feed(data, relayed); // never refuses: a relaying reader passes a faulty body on
  }

  private void relay(Buffer bytes) {
    if (upstream == null) {
      pending.appendBuffer(bytes);
      return;
    }
    bytesToUpstream += bytes.length();
    upstream.write(bytes);
    if (upstream.writeQueueFull()) {
      clientInput.pause();
      upstream.drainHandler(v -> clientInput.resume());
    }
  }

  private void bodyRelayed() {
    if (state == State.FORWARDING_BODY) {
      state = State.WAITING_FOR_CLOSE;
    } else if (state == State.CONNECTING) {
      afterConnect = State.WAITING_FOR_CLOSE;
    }
  }

  private void refuse(Rejection rejection) {
    if (state == State.CLOSED) {
      return;
    }
    listener.requestRejected(rejection.status(), rejection.reason());
    refusal = rejection;
    state = State.CLOSED;
    closeReason = ClientCloseReason.REJECTED;
    client.write(ErrorResponses.render(rejection, null, false));
    SocketClosing.graceful(vertx, clientInput, options.client().lingerTimeout(), this::closed);
  }

  /** For the connection view (issue 24): a dumb relay has one request and then streams until the upstream closes. */
  @Override
  public io.hopwise.OpenConnection describe() {
    var r = client.remoteAddress();
    var l = client.localAddress();
    String what = switch (state) {
      case READING_HEAD -> "reading head";
      case CONNECTING -> "waiting for upstream";
      case FORWARDING_BODY, WAITING_FOR_CLOSE -> firstByteNanos == 0 ? "waiting for upstream" : "streaming";
      case CLOSED -> "lingering";
    };
    return new io.hopwise.OpenConnection("client", id, io.hopwise.io.SocketAddresses.text(l),
        io.hopwise.io.SocketAddresses.text(r), io.hopwise.io.LoopClock.nanoTime() - openedNanos, what,
        head == null ? 0 : 1, 0, null, "dumb mode", io.hopwise.io.TcpInfoProbe.of(client));
  }

  /** Closes at once, for shutdown; a relay in progress is cut with a reset (see ClientConnection). */
  @Override
  public void shutdown() {
    if (state != State.CLOSED) {
      boolean midTransfer = state != State.READING_HEAD;
      state = State.CLOSED;
      closeReason = ClientCloseReason.SHUTDOWN;
      SocketClosing.now(client, midTransfer);
    }
    if (upstream != null) {
      SocketClosing.now(upstream);
    }
  }

  private boolean reported;

  private void closed() {
    if (reported) {
      return;
    }
    reported = true;
    vertx.cancelTimer(timer);
    state = State.CLOSED;
    if (upstream != null) {
      SocketClosing.now(upstream);
    }
    recordExchange();
    var r = client.remoteAddress();
    var l = client.localAddress();
    ClientCloseReason reason = closeReason == null ? ClientCloseReason.CLIENT_CLOSED : closeReason;
    io.hopwise.FirstToClose first = io.hopwise.FirstToClose.of(reason == ClientCloseReason.ABORTED,
        clientClosedFirst || reason == ClientCloseReason.CLIENT_CLOSED);
    ClientConnectionRecord record = new ClientConnectionRecord(id,
        io.hopwise.io.SocketAddresses.text(r), io.hopwise.io.SocketAddresses.text(l),
        head == null ? 0 : 1, reason, first, io.hopwise.io.LoopClock.nanoTime() - openedNanos, clientAtClose);
    LOG.log(System.Logger.Level.DEBUG, () -> "dumb " + record + " closed");
    listener.clientConnectionClosed(record);
    onClosed.run();
  }

  /** "HTTP/1.1 200 ..." at the start of {@code first}: 200; anything else: 0. Nothing is parsed beyond it. */
  static int statusOf(Buffer first) {
    if (first.length() < 12 || first.getByte(0) != 'H' || first.getByte(8) != ' ') {
      return 0;
    }
    int s = 0;
    for (int i = 9; i < 12; i++) {
      byte b = first.getByte(i);
      if (b < '0' || b > '9') {
        return 0;
      }
      s = s * 10 + (b - '0');
    }
    return s;
  }

  /**
   * The records of the one exchange and its upstream connection (issue 24): a dumb proxy's
   * exchange ends when the upstream closes, so its transfer time runs to that close.
   */
  private void recordExchange() {
    long now = io.hopwise.io.LoopClock.nanoTime();
    String clientAddress = client.remoteAddress() == null ? "-" : client.remoteAddress().hostAddress();
    io.hopwise.ClientLeg leg = new io.hopwise.ClientLeg(id, head == null ? 0 : 1);
    if (refusal != null || head == null) {
      if (refusal != null) {
        listener.requestRefused(new ProxyListener.ExchangeRecord(clientAddress, head == null ? "-" : head.method(),
            head == null ? "-" : head.target(), refusal.status(), 0, 0, head == null ? 0 : now - headNanos,
            ProxyListener.UpstreamUse.NONE, false, java.util.List.of(), null, RoleVerdict.NONE, leg, null));
      }
      return;
    }
    if (dialed == null) {
      return; // the client went before the upstream was there: nothing was relayed
    }
    io.hopwise.UpstreamLeg up = new io.hopwise.UpstreamLeg(upstreamId, false, 0, dialed.dnsNanos(),
        dialed.connectNanos(), dialed.tlsNanos(), firstByteNanos == 0 ? -1 : firstByteNanos - connectedNanos,
        firstByteNanos == 0 ? -1 : now - firstByteNanos, dialed.atConnect());
    listener.requestCompleted(new ProxyListener.ExchangeRecord(clientAddress, head.method(), head.target(),
        status, bytesToUpstream, bytesToClient, now - headNanos, ProxyListener.UpstreamUse.NEW,
        closeReason == ClientCloseReason.ABORTED, java.util.List.of(), null, RoleVerdict.NONE, leg, up));
    var ul = upstream.localAddress();
    var ur = upstream.remoteAddress();
    CloseReason reason = upstreamFailed ? CloseReason.ERROR : upstreamFinished ? CloseReason.PEER_CLOSED
        : closeReason == ClientCloseReason.SHUTDOWN ? CloseReason.SHUTDOWN : CloseReason.NOT_REUSABLE;
    listener.upstreamConnectionClosed(new io.hopwise.UpstreamConnectionRecord(upstreamId, origin,
        io.hopwise.io.SocketAddresses.text(ul), io.hopwise.io.SocketAddresses.text(ur), 1,
        now - connectedNanos, reason, reason == CloseReason.NOT_REUSABLE ? "the client went first" : null,
        io.hopwise.FirstToClose.of(upstreamFailed, upstreamFinished), upstreamAtClose));
  }
}
