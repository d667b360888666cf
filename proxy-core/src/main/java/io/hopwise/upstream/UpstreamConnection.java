package io.hopwise.upstream;

import io.hopwise.ProxyListener.CloseReason;
import io.hopwise.http.BodyFraming;
import io.hopwise.http.BodyReader;
import io.hopwise.http.HttpFields;
import io.hopwise.http.KeepAlive;
import io.hopwise.http.Persistence;
import io.hopwise.http.Origin;
import io.hopwise.http.ParseOutcome;
import io.hopwise.http.Rejection;
import io.hopwise.http.ResponseHead;
import io.hopwise.http.ResponseHeadParser;
import io.hopwise.http.Upgrades;
import io.hopwise.io.Deadline;
import io.hopwise.io.LoopClock;
import io.hopwise.io.MessageWriter;
import io.hopwise.io.PeerInput;
import io.hopwise.io.PendingBytes;
import io.hopwise.io.Writes;
import io.hopwise.io.SocketClosing;
import io.hopwise.policy.PoolPolicy;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * One persistent connection to an origin: writes requests, reads their responses in order with
 * the strict codec, and tells its pool whether it may be reused (RFC 9112 9.3). Usually one
 * request at a time; with upstream pipelining (9.3.2) further bodiless idempotent requests may be
 * written before earlier responses have arrived.
 */
public final class UpstreamConnection {
  private static final int MAX_RESPONSE_HEAD = 65536;
  private static final int MAX_FIELDS = 200;

  /** A request written on this connection whose response has not ended yet. */
  private static final class InFlight {
    final ResponseHandler handler;
    final String method;
    final boolean chunkedBody;
    final boolean pipelinable;
    boolean upgradeRequested;
    boolean requestComplete;
    boolean anyResponseByte;

    InFlight(ResponseHandler handler, String method, BodyFraming framing, boolean pipelinable) {
      this.handler = handler;
      this.method = method;
      this.chunkedBody = framing.kind() == BodyFraming.Kind.CHUNKED;
      this.requestComplete = !framing.hasBody();
      this.pipelinable = pipelinable;
    }
  }

  /** For the connection view and the debug log (issue 24). */
  final long id = io.hopwise.io.ConnectionIds.nextUpstream();
  /** What making this connection took (issue 24). */
  final Dialer.Dialed dialed;
  /** When it last went idle in the pool, and how long it sat there before its current exchange. */
  long idleSinceNanos;
  long idleNanos;
  /** Why it is closing, beyond its CloseReason (e.g. "Connection: close"); null: the reason says it all. */
  private String closeDetail;
  /** The upstream ended its stream before we closed: it closed first. */
  private boolean peerClosedFirst;
  private final NetSocket socket;
  /** The socket's bytes and its end, in order (the end never overtakes a byte: issue 22). */
  private final PeerInput input;
  private final Origin origin;
  private final UpstreamPool pool;
  private final long createdNanos;
  private final ResponseHeadParser parser = new ResponseHeadParser(MAX_RESPONSE_HEAD, MAX_FIELDS);
  private final ArrayDeque<InFlight> inFlight = new ArrayDeque<>();

  private Buffer pending = PendingBytes.NONE;
  private ResponseHead head;
  /** The body of the response being read, the exchange it is for, and where its parts go. */
  private BodyReader body;
  private InFlight reading;
  private final BodyReader.Sink bodySink = new ResponseBody();

  /**
   * Each part only while that response is still the one being read (a handler may give up). A
   * class of its own rather than two lambdas: this is every response's path, kept shallow for
   * the JIT's inlining.
   */
  private final class ResponseBody implements BodyReader.Sink {
    @Override
    public void data(Buffer bytes) {
      InFlight r = reading;
      if (inFlight.peekFirst() == r) {
        r.handler.data(bytes);
      }
    }

    @Override
    public void end(HttpFields trailers, Buffer rest) {
      if (inFlight.peekFirst() == reading) {
        finish(trailers, rest);
      }
    }
  }
  private boolean closed;
  /** Armed while the connection waits in the pool's idle list. */
  final Deadline idleDeadline;
  int exchanges;
  /** What the upstream allows on this connection (Keep-Alive max and timeout), or unlimited. */
  PoolPolicy.Budget budget = PoolPolicy.Budget.UNLIMITED;

  UpstreamConnection(Dialer.Dialed dialed, Origin origin, UpstreamPool pool) {
    this.dialed = dialed;
    this.socket = dialed.socket();
    this.origin = origin;
    this.pool = pool;
    this.createdNanos = LoopClock.nanoTime();
    this.idleDeadline = new Deadline(pool.vertx(), () -> pool.idleExpired(this));
    this.input = PeerInput.of(socket, PeerInput.Reader.of(this::received, this::peerEnded, this::peerBroke));
    input.onClosed(this::channelClosed);
  }

  public Origin origin() {
    return origin;
  }

  public NetSocket socket() {
    return socket;
  }

  /** True once at least one exchange has been completed on this connection before. */
  public boolean isReused() {
    return exchanges > 0;
  }

  /**
   * The upstream leg of an exchange on this connection (issue 24), with the exchange's own times:
   * {@code waitNanos} from its request head written to its response head, {@code transferNanos}
   * from there to the body's end. A reused connection's making is not this exchange's cost.
   */
  /**
   * The parent proxy this connection goes to in place of the origin (issue 27): requests on it go
   * in absolute-form with the parent's Proxy-Authorization; null when it reaches the origin
   * (directly or through a parent's CONNECT).
   */
  public io.hopwise.policy.Parent absoluteFormParent() {
    return dialed.absoluteForm() ? dialed.parent() : null;
  }

  public io.hopwise.UpstreamLeg leg(boolean reused, long waitNanos, long transferNanos) {
    // One record per exchange (this is every request's path): the route in the same construction.
    String parent = dialed.parent() == null ? null : dialed.parent().name();
    return reused
        ? new io.hopwise.UpstreamLeg(id, true, idleNanos, -1, -1, -1, waitNanos, transferNanos, null, null, null,
            dialed.route(), parent)
        : new io.hopwise.UpstreamLeg(id, false, 0, dialed.dnsNanos(), dialed.connectNanos(), dialed.tlsNanos(),
            waitNanos, transferNanos, dialed.atConnect(), null, null, dialed.route(), parent);
  }

  /**
   * As the connection view lists it (issue 24): idle or in use, its exchanges, and what the
   * origin's Keep-Alive allowed and when an idle one expires ({@code expiresInMillis}, -1 when in use).
   */
  io.hopwise.OpenConnection open(boolean idle, long now, long expiresInMillis) {
    var l = socket.localAddress();
    var r = socket.remoteAddress();
    StringBuilder detail = new StringBuilder();
    if (budget.requestsLeft() != Long.MAX_VALUE) {
      detail.append("Keep-Alive: ").append(budget.requestsLeft()).append(" requests left; ");
    }
    if (budget.idleLimitMillis() != Long.MAX_VALUE) {
      detail.append("Keep-Alive timeout ").append(budget.idleLimitMillis()).append(" ms; ");
    }
    if (idle) {
      detail.append("idle expiry in ").append(Math.max(0, expiresInMillis)).append(" ms");
    }
    return new io.hopwise.OpenConnection("upstream", id, io.hopwise.io.SocketAddresses.text(l),
        io.hopwise.io.SocketAddresses.text(r), now - createdNanos, idle ? "idle" : "in use", exchanges,
        idle ? now - idleSinceNanos : 0, origin.toString(), detail.toString().strip(), io.hopwise.io.TcpInfoProbe.of(socket));
  }

  /**
   * The record of this connection's end after it became a WebSocket join (it left the pool at the
   * 101, so the pool never sees it close): who ended first, or a reset.
   */
  public io.hopwise.UpstreamConnectionRecord joinEnded(boolean aborted, boolean upstreamFirst, io.hopwise.TcpInfo atClose) {
    peerClosedFirst = upstreamFirst && !aborted;
    closeDetail = aborted ? "WebSocket join broken or idle"
        : upstreamFirst ? "WebSocket: the origin ended first" : "WebSocket: the client ended first";
    return record(aborted ? CloseReason.ERROR : upstreamFirst ? CloseReason.PEER_CLOSED : CloseReason.NOT_REUSABLE,
        atClose);
  }

  /** The record of this connection once closed: who, what it served, why, who closed first. */
  io.hopwise.UpstreamConnectionRecord record(CloseReason reason, io.hopwise.TcpInfo atClose) {
    var l = socket.localAddress();
    var r = socket.remoteAddress();
    io.hopwise.FirstToClose first = io.hopwise.FirstToClose.of(reason == CloseReason.ERROR,
        peerClosedFirst || reason == CloseReason.PEER_CLOSED);
    return new io.hopwise.UpstreamConnectionRecord(id, origin, io.hopwise.io.SocketAddresses.text(l),
        io.hopwise.io.SocketAddresses.text(r), exchanges, LoopClock.nanoTime() - createdNanos, reason,
        closeDetail, first, atClose);
  }

  /** origin, four-tuple and exchanges served, for logs. */
  String describe() {
    var l = socket.localAddress();
    var r = socket.remoteAddress();
    return "up#" + id + " " + origin + " " + io.hopwise.io.SocketAddresses.text(l) + " -> "
        + io.hopwise.io.SocketAddresses.text(r) + " requests=" + exchanges;
  }

  long createdNanos() {
    return createdNanos;
  }

  boolean isOpen() {
    return !closed;
  }

  boolean isIdle() {
    return inFlight.isEmpty();
  }

  /** Whether one more request may be written before the responses in flight arrive (the policy decides). */
  boolean canPipeline(PoolPolicy policy) {
    if (closed) {
      return false;
    }
    boolean allPipelinableAndWritten = true;
    for (InFlight f : inFlight) {
      if (!f.pipelinable || !f.requestComplete) {
        allPipelinableAndWritten = false;
        break;
      }
    }
    return policy.canPipeline(inFlight.size(), allPipelinableAndWritten, budget);
  }

  /**
   * Starts an exchange: writes the request head; the body follows through {@link #writeBody}.
   *
   * @param pipelinable the request may have others written behind it (idempotent, no body)
   */
  public void send(Buffer requestHead, String requestMethod, BodyFraming framing, ResponseHandler h,
      boolean pipelinable) {
    send(requestHead, requestMethod, framing, h, pipelinable, false);
  }

  /** @param upgradeRequested we asked for a WebSocket upgrade: a matching 101 hands the socket over */
  public void send(Buffer requestHead, String requestMethod, BodyFraming framing, ResponseHandler h,
      boolean pipelinable, boolean upgradeRequested) {
    InFlight f = new InFlight(h, requestMethod, framing, pipelinable && !upgradeRequested);
    f.upgradeRequested = upgradeRequested;
    inFlight.addLast(f);
    resume();
    Writes.write(socket, requestHead);
  }

  /** Body bytes of the request written last (only that one can still be sending its body). */
  public void writeBody(Buffer data) {
    InFlight last = inFlight.peekLast();
    if (closed || last == null || data.length() == 0) {
      return;
    }
    if (last.chunkedBody) {
      MessageWriter.writeChunk(b -> Writes.write(socket, b), data);
    } else {
      Writes.write(socket, data);
    }
  }

  public void endBody(HttpFields trailers) {
    InFlight last = inFlight.peekLast();
    if (closed || last == null) {
      return;
    }
    if (last.chunkedBody) {
      Writes.write(socket, MessageWriter.lastChunk(trailers));
    }
    last.requestComplete = true;
  }

  public boolean writeQueueFull() {
    return socket.writeQueueFull();
  }

  public void drainHandler(Runnable r) {
    socket.drainHandler(v -> r.run());
  }

  /** Holds the response back for a slow client (backpressure). */
  public void pause() {
    input.pause();
  }

  public void resume() {
    input.resume();
  }

  /** Returns an unused connection (its exchange was cancelled before sending anything). */
  public void giveBack() {
    if (inFlight.isEmpty()) {
      pool.release(this, true);
    }
  }

  /**
   * The exchange of {@code h} is abandoned (client gone, timeout): its response can no longer be
   * read past, so the connection closes; requests pipelined behind it fail as unanswered.
   */
  public void discard(ResponseHandler h, CloseReason reason) {
    inFlight.removeIf(f -> f.handler == h);
    failAllWith(reason, "upstream connection closed with this request unanswered");
  }

  private void received(Buffer data) {
    InFlight current = inFlight.peekFirst();
    if (current == null) {
      // RFC 9112 9.3: bytes on an idle connection belong to no request; never reuse it.
      closeDetail = "bytes while idle";
      closeNow(CloseReason.NOT_REUSABLE);
      return;
    }
    current.anyResponseByte = true;
    if (head == null) {
      pending = PendingBytes.append(pending, data);
      parseHeads();
    } else {
      body(data);
    }
  }

  private void parseHeads() {
    while (!inFlight.isEmpty() && head == null && pending.length() > 0) {
      InFlight current = inFlight.peekFirst();
      current.anyResponseByte = true;
      String method = current.method;
      ParseOutcome<ResponseHead> outcome = PendingBytes.parseHead(pending, (b, n) -> parser.parse(b, n, method));
      if (outcome instanceof ParseOutcome.NeedMore<ResponseHead>) {
        return;
      }
      if (outcome instanceof ParseOutcome.Refused<ResponseHead> refused) {
        failFirst(UpstreamFailure.of(refused.rejection()));
        return;
      }
      var parsed = (ParseOutcome.Parsed<ResponseHead>) outcome;
      Buffer rest = pending.slice(parsed.consumed(), pending.length());
      pending = PendingBytes.NONE;
      ResponseHead h = parsed.head();
      if (h.status() == 101) {
        if (current.upgradeRequested && inFlight.size() == 1 && Upgrades.agreesToWebSocket(h)) {
          // The connection is no longer HTTP: it leaves the pool and belongs to the handler.
          inFlight.clear();
          closed = true;
          pool.detach(this);
          current.handler.switched(h, input, rest);
          return;
        }
        failFirst(new UpstreamFailure(502, "upstream switched to a protocol we did not ask for"));
        return;
      }
      if (h.isInformational()) {
        current.handler.informational(h);
        pending = PendingBytes.appendCopy(pending, rest);
        continue;
      }
      head = h;
      current.handler.head(h);
      if (inFlight.peekFirst() != current) {
        return; // the handler gave up on this exchange (and closed the connection)
      }
      BodyFraming framing = h.framing();
      if (framing.hasBody()) {
        body = BodyReader.of(framing, 502, MAX_RESPONSE_HEAD, MAX_FIELDS, 0, null);
        reading = current;
      }
      if (!framing.hasBody()) {
        finish(HttpFields.EMPTY, rest);
      } else if (rest.length() > 0) {
        body(rest);
      }
      current.handler.headRead();
    }
  }

  private void body(Buffer data) {
    if (body == null) {
      closeNow(CloseReason.NOT_REUSABLE); // bytes after a response without a body belong to no request
      return;
    }
    InFlight current = inFlight.peekFirst();
    Rejection r = body.feed(data, bodySink);
    if (r != null && inFlight.peekFirst() == current) {
      failFirst(UpstreamFailure.of(r));
    }
  }

  private void finish(HttpFields trailers, Buffer rest) {
    InFlight done = inFlight.pollFirst();
    ResponseHead finished = head;
    head = null;
    body = null;
    reading = null;
    exchanges++;
    // RFC 9112 9.3: keep only a connection the upstream keeps open, with the request fully sent.
    String ends = done.requestComplete ? Persistence.upstreamEnds(finished) : "request body not fully sent";
    // Keep-Alive: timeout=N, max=M (http-rules C4): M more requests, pipelined ones included.
    budget = budget.after(KeepAlive.of(finished.fields()));
    if (ends == null && budget.requestsLeft() <= 0) {
      ends = "Keep-Alive max reached";
    }
    closeDetail = ends;
    done.handler.end(trailers);
    if (closed) {
      return;
    }
    if (ends != null) {
      failAllWith(CloseReason.NOT_REUSABLE, "upstream closed the connection with this pipelined request unanswered");
      return;
    }
    if (!inFlight.isEmpty()) {
      pending = PendingBytes.appendCopy(pending, rest); // the next pipelined response may have started already
      parseHeads();
      return;
    }
    // Stray bytes after the last response belong to no request: never reuse (RFC 9112 9.3).
    if (rest.length() > 0) {
      closeDetail = "bytes after the response";
    } else if (budget.idleLimitMillis() <= 0) {
      closeDetail = "Keep-Alive timeout=0";
    }
    pool.release(this, rest.length() == 0 && budget.idleLimitMillis() > 0);
  }

  /**
   * The upstream ended its stream in order, after every byte it sent was handled: a
   * close-delimited body is complete now (RFC 9112 6.3 item 8); anything else still in flight
   * was cut short. We are half-closed, so the socket is ours to close.
   */
  private void peerEnded() {
    peerClosedFirst = !closed;
    closeNow(CloseReason.PEER_CLOSED);
    InFlight current = inFlight.peekFirst();
    if (current != null && head != null && head.framing().kind() == BodyFraming.Kind.UNTIL_CLOSE) {
      inFlight.pollFirst();
      head = null;
      exchanges++;
      current.handler.end(HttpFields.EMPTY);
    }
    if (!inFlight.isEmpty()) {
      failAll(head == null
          ? "upstream closed the connection before responding"
          : "upstream closed the connection in the middle of the response body");
    }
  }

  /**
   * The input broke (a reset or an error), after every byte received before it was handled: a
   * response in progress, close-delimited or not, is incomplete (RFC 9112 8).
   */
  private void peerBroke(Throwable cause) {
    closeNow(CloseReason.ERROR);
    if (!inFlight.isEmpty()) {
      failAll(cause == null ? "upstream connection closed" : "upstream connection error: " + cause.getMessage(), true);
    }
  }

  /** The channel closed; its input's end reaches {@link #peerEnded} or {@link #peerBroke} in order. */
  private void channelClosed() {
    if (!closed) {
      closed = true;
      pool.closed(this, record(CloseReason.PEER_CLOSED, null));
    }
  }

  /** The response in progress is broken: the connection closes, later requests go unanswered. */
  private void failFirst(UpstreamFailure failure) {
    InFlight first = inFlight.pollFirst();
    failAllWith(CloseReason.ERROR, "upstream connection closed with this request unanswered");
    if (first != null) {
      first.handler.failed(failure);
    }
  }

  private void failAll(String message) {
    failAll(message, false);
  }

  /**
   * The connection failed: the first request per its progress, the rest as unanswered. The first
   * may be sent again (if idempotent) when no byte of its response came and either the connection
   * had served before (the stale keep-alive race) or it {@code broke}: a reset before any answer,
   * as from a server that accepted the connection and died before reading it (issue 27: a parent
   * killed mid-run; the retry goes to the next parent).
   */
  private void failAll(String message, boolean broke) {
    InFlight first = inFlight.pollFirst();
    boolean firstStale = first != null && !first.anyResponseByte && (exchanges > 0 || broke);
    // A parent that resets a new connection before answering its first request is failing (a
    // killed parent's kernel still accepts for a moment, then resets): as a refused connect, it is
    // skipped for downFor, so the retry goes to the next parent rather than to it again. A reused
    // connection's reset says less (the stale keep-alive race), and through a parent's CONNECT
    // the reset may be the origin's: neither marks the parent down.
    boolean parentDown = firstStale && broke && exchanges == 0 && absoluteFormParent() != null;
    if (parentDown) {
      pool.parentBroke(dialed.parent(), message);
    }
    failAllWith(CloseReason.ERROR, "upstream connection closed with this request unanswered");
    if (first != null) {
      first.handler.failed(new UpstreamFailure(502, message, firstStale, parentDown));
    }
  }

  /**
   * Closes and fails every request still in flight. They were written but never answered, so
   * they count as stale: an idempotent one may be retried (RFC 9112 9.3.2).
   */
  private void failAllWith(CloseReason reason, String message) {
    List<InFlight> unanswered = new ArrayList<>(inFlight);
    inFlight.clear();
    closeNow(reason);
    for (InFlight f : unanswered) {
      f.handler.failed(new UpstreamFailure(502, message, !f.anyResponseByte));
    }
  }

  void closeNow(CloseReason reason) {
    if (!closed) {
      closed = true;
      io.hopwise.TcpInfo atClose = io.hopwise.io.TcpInfoProbe.of(socket); // before the socket is gone
      SocketClosing.now(socket);
      pool.closed(this, record(reason, atClose));
    }
  }
}
