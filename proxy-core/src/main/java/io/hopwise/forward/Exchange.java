package io.hopwise.forward;

import io.hopwise.ProxyListener;
import io.hopwise.ProxyListener.CloseReason;
import io.hopwise.ProxyListener.Direction;
import io.hopwise.ProxyOptions;
import io.hopwise.http.BodyFraming;
import io.hopwise.http.HeaderRules;
import io.hopwise.http.HopByHop;
import io.hopwise.http.HttpFields;
import io.hopwise.http.HttpVersion;
import io.hopwise.http.LocalAnswers;
import io.hopwise.http.Origin;
import io.hopwise.http.Persistence;
import io.hopwise.http.Rejection;
import io.hopwise.http.RequestHead;
import io.hopwise.http.RequestTarget;
import io.hopwise.http.ResponseHead;
import io.hopwise.http.RetryPolicy;
import io.hopwise.io.LoopClock;
import io.hopwise.io.MessageWriter;
import io.hopwise.io.PeerInput;
import io.hopwise.io.SocketClosing;
import io.hopwise.policy.RequestPlanner;
import io.hopwise.policy.Role;
import io.hopwise.policy.RoleVerdict;
import io.hopwise.upstream.ResponseHandler;
import io.hopwise.upstream.UpstreamConnection;
import io.hopwise.upstream.UpstreamFailure;
import io.hopwise.upstream.UpstreamPool;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * One forwarded request and its response: target -> header rules -> pooled upstream connection ->
 * request body -> response head and body back to the client. Runs on the client connection's
 * event loop; every step is non-blocking.
 */
public final class Exchange implements ResponseHandler {
  private static final System.Logger LOG = System.getLogger("io.hopwise.parents");
  private final ClientSide client;
  private final RequestHead request;
  /** The client connection's: its requests usually share one origin. */
  private final RequestTarget.Memo targets;
  private final ProxyOptions options;
  private final UpstreamPool pool;
  private final ProxyListener listener;
  private final RequestPlanner.Facts facts;
  private final long startNanos = LoopClock.nanoTime();
  /** Idempotent and without a body: may share a busy upstream connection (RFC 9112 9.3.2). */
  private final boolean pipelinable;

  private UpstreamConnection upstream;
  private ResponseHead response;
  /**
   * The response head, rendered but held back until the body bytes read with it are framed,
   * so that head and body leave in one write (see {@link #headRead}).
   */
  private Buffer heldHead;
  private BodyFraming clientFraming;
  private boolean closeClient;
  private boolean responseStarted;
  private boolean done;
  private long requestBytes;
  private long responseBytes;
  private boolean upstreamReused;
  /** When the request head went to the upstream, and when its response head came (0: not yet). */
  private long sentNanos;
  private long headNanos;
  /** The upstream socket's TCP_INFO as the response head came; only while the view is watched. */
  private io.hopwise.TcpInfo tcpAtFirstByte;
  /** The connection view is being read (decided once, as the exchange starts): take TCP_INFO at first and last byte. */
  private boolean watched;
  private Origin origin;
  /** The plan being carried out: its path and fields make the head for the connection it goes on. */
  private RequestPlanner.Forward forward;
  private int attempts;
  private boolean webSocket;
  private final Role role;
  /** What the client's role decided; a refusal by another rule records that rule instead. */
  private RoleVerdict verdict = RoleVerdict.NONE;
  /** Names of the fields the rules removed, both ways; most exchanges remove none or one. */
  private List<String> removedFields = List.of();

  public Exchange(ClientSide client, RequestHead request, RequestTarget.Memo targets,
      ProxyOptions options, RequestPlanner.Facts facts, Role role, UpstreamPool pool, ProxyListener listener) {
    this.facts = facts;
    this.role = role;
    this.client = client;
    this.request = request;
    this.targets = targets;
    this.options = options;
    this.pool = pool;
    this.listener = listener;
    this.pipelinable = RetryPolicy.isIdempotent(request.method()) && !request.framing().hasBody();
  }

  /** Plans the request (pure, {@link RequestPlanner}), then carries the plan out. */
  public void start() {
    watched = client.watched();
    RequestPlanner.Plan plan = RequestPlanner.plan(request, targets, facts, role);
    if (plan instanceof RequestPlanner.Forward f) {
      verdict = f.verdict();
      noteRemoved(Direction.REQUEST, f.removed());
      origin = f.origin();
      webSocket = f.webSocket();
      forward = f;
      attempt(false);
    } else if (plan instanceof RequestPlanner.Answer a) {
      noteRemoved(Direction.REQUEST, a.removed());
      answerLocally(a.answer());
    } else {
      RequestPlanner.Reject r = (RequestPlanner.Reject) plan;
      verdict = r.verdict();
      reject(r.rejection(), r.extra());
    }
  }

  /** A 200 the proxy gives itself; the connection stays open as it would for a forwarded one. */
  private void answerLocally(LocalAnswers.Answer answer) {
    boolean keep = clientPersistent() && !client.draining();
    Buffer head = MessageWriter.responseHead(200, "OK", answer.fields(), BodyFraming.length(answer.body().length),
        keep ? (request.version() == HttpVersion.HTTP_1_0 ? "keep-alive" : null) : "close");
    client.write(request.isHead() ? head : head.appendBytes(answer.body()));
    done = true;
    record(200, false);
    client.exchangeDone(keep);
  }

  private void attempt(boolean fresh) {
    attempts++;
    pool.acquire(origin, fresh, pipelinable).onComplete(ar -> {
      if (ar.failed()) {
        UpstreamFailure f = ar.cause() instanceof UpstreamFailure uf
            ? uf : new UpstreamFailure(502, String.valueOf(ar.cause().getMessage()));
        reject(f.toRejection());
      } else if (done || client.isClosed()) {
        ar.result().giveBack();
      } else {
        begin(ar.result());
      }
    });
  }

  private void begin(UpstreamConnection up) {
    upstream = up;
    upstreamReused = up.isReused();
    sentNanos = LoopClock.nanoTime();
    headNanos = 0;
    // The head is made for the connection it goes on: origin-form, or absolute-form for a parent.
    io.hopwise.policy.Parent parent = up.absoluteFormParent();
    up.send(parent == null ? MessageWriter.requestHead(request.method(), forward.path(), forward.fields(), request.framing())
        : ParentForm.requestHead(request.method(), origin, forward.path(), forward.fields(), parent, request.framing()),
        request.method(), request.framing(), this, pipelinable, webSocket);
    client.responseDeadline().arm(options.upstream().responseTimeout().toMillis());
    if (request.framing().hasBody()) {
      client.startBody();
    }
  }

  /** The response head has come and its body is on its way to the client (the connection view's "streaming"). */
  public boolean responding() {
    return headNanos != 0;
  }

  /** No response head within the response timeout: 504 (or a retry, as any failure). */
  public void responseTimedOut() {
    if (!done && response == null && upstream != null) {
      upstream.discard(this, CloseReason.ERROR);
      failed(new UpstreamFailure(504, "upstream did not respond within " + options.upstream().responseTimeout().toMillis() + " ms"));
    }
  }

  /** Request body bytes from the client, de-framed. */
  public void requestData(Buffer data) {
    if (done || upstream == null) {
      return;
    }
    requestBytes += data.length();
    upstream.writeBody(data);
    if (upstream.writeQueueFull()) {
      client.pauseReading();
      upstream.drainHandler(client::resumeReading);
    }
  }

  public void requestEnd(HttpFields trailers) {
    if (done || upstream == null) {
      return;
    }
    HeaderRules.Outcome t = HeaderRules.trailers(trailers, request.fields());
    upstream.endBody(t.fields());
  }

  /** The client's request body was malformed (bad chunk framing). */
  public void requestBodyFailed(Rejection rejection) {
    if (upstream != null) {
      upstream.discard(this, CloseReason.ERROR);
    }
    if (responseStarted) {
      abort();
    } else {
      reject(rejection);
    }
  }

  /** The client connection went away. */
  public void clientGone() {
    if (!done) {
      done = true;
      client.responseDeadline().disarm();
      if (upstream != null) {
        upstream.discard(this, CloseReason.ERROR);
      }
      record(responseStarted ? response.status() : 0, true);
    }
  }

  @Override
  public void informational(ResponseHead h) {
    if (done || request.version() != HttpVersion.HTTP_1_1) {
      return; // RFC 9110 15.2: no 1xx to HTTP/1.0 clients.
    }
    if (h.status() == 100 && !request.fields().hasToken("Expect", "100-continue")) {
      return; // RFC 9110 10.1.1: 100 only answers an expectation the client made.
    }
    HeaderRules.Outcome rules = HeaderRules.response(h.fields(), h.version(), facts.via());
    if (!rules.rejected()) {
      client.write(MessageWriter.interimHead(h.status(), h.reason(), rules.fields()));
    }
  }

  @Override
  public void head(ResponseHead h) {
    headNanos = LoopClock.nanoTime();
    if (watched) {
      tcpAtFirstByte = io.hopwise.io.TcpInfoProbe.of(upstream.socket());
    }
    client.responseDeadline().disarm();
    io.hopwise.policy.Parent parent = upstream.absoluteFormParent();
    if (parent != null && h.status() == 407) {
      // The parent's challenge is for our credentials, never the client's to answer (issue 27).
      upstream.discard(this, CloseReason.ERROR);
      UpstreamFailure refusal = io.hopwise.upstream.ParentAnswers.refusal(parent, request.method() + " " + origin, 407, h.reason());
      LOG.log(System.Logger.Level.WARNING, () -> "hopwise: " + refusal.getMessage());
      failed(refusal);
      return;
    }
    HeaderRules.Outcome rules = HeaderRules.response(h.fields(), h.version(), facts.via());
    if (rules.rejected()) {
      upstream.discard(this, CloseReason.ERROR);
      failed(UpstreamFailure.of(rules.rejection()));
      return;
    }
    noteRemoved(Direction.RESPONSE, rules);
    response = h;
    clientFraming = h.framing().toClient(request.version());
    closeClient = Persistence.clientClosesAfter(clientPersistent(), clientFraming, client.requestBodyPending(),
        client.draining());
    responseStarted = true;
    String connection = closeClient ? "close" : request.version() == HttpVersion.HTTP_1_0 ? "keep-alive" : null;
    heldHead = MessageWriter.responseHead(h.status(), h.reason(), rules.fields(), clientFraming, connection);
  }

  @Override
  public void headRead() {
    if (!done) {
      flushHead();
    }
  }

  /** The held response head, if it has not gone yet, goes out now on its own. */
  private void flushHead() {
    Buffer h = heldHead;
    if (h != null) {
      heldHead = null;
      client.write(h);
    }
  }

  /** Framed body bytes for the client, joined to the held head if that has not gone yet. */
  private void send(Buffer bytes) {
    Buffer h = heldHead;
    if (h == null) {
      client.write(bytes);
      return;
    }
    heldHead = null;
    MessageWriter.writeJoined(client::write, h, bytes);
  }

  private boolean clientPersistent() {
    return Persistence.clientPersistent(request.version(), request.fields(), options.client().honorHttp10KeepAlive());
  }

  @Override
  public void switched(ResponseHead h, PeerInput upstreamInput, Buffer rest) {
    if (done) {
      SocketClosing.now(upstreamInput.socket());
      return;
    }
    headNanos = LoopClock.nanoTime(); // the join's transfer is its whole life after the 101
    client.responseDeadline().disarm();
    HeaderRules.Outcome rules = HeaderRules.response(h.fields(), h.version(), facts.via());
    HttpFields fields = rules.fields().toBuilder().add("Upgrade", "websocket").add("Connection", "Upgrade").build();
    client.write(MessageWriter.interimHead(101, h.reason(), fields));
    done = true;
    // Recorded when the join ends, with its bytes and its whole life (issue 26: it was recorded at
    // the 101, with 0 bytes, and never again).
    UpstreamConnection joined = upstream;
    client.upgraded(upstreamInput, rest, (fromClient, toClient, aborted, upstreamFirst, atClose) -> {
      requestBytes = fromClient;
      responseBytes = toClient;
      record(101, aborted);
      listener.upstreamConnectionClosed(joined.joinEnded(aborted, upstreamFirst, atClose));
    });
  }

  @Override
  public void data(Buffer data) {
    if (done) {
      return;
    }
    responseBytes += data.length();
    if (clientFraming.kind() == BodyFraming.Kind.CHUNKED) {
      MessageWriter.writeChunk(this::send, data);
    } else {
      send(data);
    }
    if (client.writeQueueFull()) {
      UpstreamConnection up = upstream;
      up.pause();
      client.onDrain(up::resume);
    }
  }

  @Override
  public void end(HttpFields trailers) {
    if (done) {
      return;
    }
    if (clientFraming.kind() == BodyFraming.Kind.CHUNKED) {
      send(MessageWriter.lastChunk(HeaderRules.trailers(trailers, response.fields()).fields()));
    } else {
      flushHead();
    }
    done = true;
    record(response.status(), false);
    client.exchangeDone(!closeClient);
  }

  @Override
  public void failed(UpstreamFailure failure) {
    if (done) {
      return;
    }
    client.responseDeadline().disarm();
    if (!responseStarted && RetryPolicy.mayRetry(request.method(), request.framing(), failure.staleConnection(),
        failure.parentMarkedDown(), attempts)) {
      listener.requestRetried(origin);
      attempt(true);
      return;
    }
    if (responseStarted) {
      abort();
    } else {
      reject(failure.toRejection());
    }
  }

  private void reject(Rejection rejection) {
    reject(rejection, HttpFields.EMPTY);
  }

  /** Answers with an error ({@code extra} fields with it, e.g. Allow) and closes the client connection. */
  private void reject(Rejection rejection, HttpFields extra) {
    if (done) {
      return;
    }
    done = true;
    client.responseDeadline().disarm();
    listener.requestRejected(rejection.status(), rejection.reason());
    verdict = RoleVerdict.refusal(verdict, rejection);
    record(rejection.status(), false);
    client.reject(rejection, request.isHead(), extra);
  }

  private void abort() {
    if (done) {
      return;
    }
    flushHead(); // as far as the response got, as before the abort
    done = true;
    record(response == null ? 0 : response.status(), true);
    client.abort();
  }

  private void noteRemoved(Direction direction, HeaderRules.Outcome rules) {
    noteRemoved(direction, rules.reported());
  }

  private void noteRemoved(Direction direction, List<HopByHop.Removed> removed) {
    if (removed.isEmpty()) {
      return;
    }
    listener.fieldsRemoved(direction, removed);
    if (done) {
      return; // recorded already: the record holds the list, which must not change
    }
    if (removedFields.isEmpty()) {
      removedFields = new ArrayList<>(4);
    }
    removed.forEach(r -> removedFields.add(r.name()));
  }

  /** Once per exchange, as done is set: removedFields is final from then on, so the record shares it. */
  private void record(int status, boolean aborted) {
    long now = LoopClock.nanoTime();
    io.hopwise.ClientLeg clientLeg = client.leg();
    io.hopwise.UpstreamLeg upstreamLeg = upstream == null ? null : upstream.leg(upstreamReused,
        headNanos == 0 ? -1 : headNanos - sentNanos, headNanos == 0 ? -1 : now - headNanos);
    if (watched) { // issue 24: the kernel's view at the last byte, for whoever watches
      clientLeg = new io.hopwise.ClientLeg(clientLeg.connection(), clientLeg.request(), client.tcpInfo());
      if (upstreamLeg != null) {
        upstreamLeg = upstreamLeg.watched(tcpAtFirstByte, io.hopwise.io.TcpInfoProbe.of(upstream.socket()));
      }
    }
    listener.requestCompleted(new ProxyListener.ExchangeRecord(client.remoteAddress(), request.method(),
        request.target(), status, requestBytes, responseBytes, now - startNanos,
        upstream == null ? ProxyListener.UpstreamUse.NONE
            : upstreamReused ? ProxyListener.UpstreamUse.REUSED : ProxyListener.UpstreamUse.NEW,
        aborted, removedFields.isEmpty() ? List.of() : Collections.unmodifiableList(removedFields), client.user(),
        verdict, clientLeg, upstreamLeg));
  }
}
