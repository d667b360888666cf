package io.hopwise.forward;

import io.hopwise.ProxyListener;
import io.hopwise.ProxyListener.CloseReason;
import io.hopwise.ProxyListener.Direction;
import io.hopwise.ProxyOptions;
import io.hopwise.http.BodyFraming;
import io.hopwise.http.HeaderRules;
import io.hopwise.http.HttpFields;
import io.hopwise.http.HttpVersion;
import io.hopwise.http.LocalAnswers;
import io.hopwise.http.LoopDetection;
import io.hopwise.http.MaxForwards;
import io.hopwise.http.Origin;
import io.hopwise.http.PacFile;
import io.hopwise.http.Rejection;
import io.hopwise.http.RequestHead;
import io.hopwise.http.RequestTarget;
import io.hopwise.http.ResponseHead;
import io.hopwise.http.RetryPolicy;
import io.hopwise.http.Upgrades;
import io.hopwise.io.Deadline;
import io.hopwise.io.LoopClock;
import io.hopwise.io.MessageWriter;
import io.hopwise.io.PeerInput;
import io.hopwise.io.SocketClosing;
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
  static final String NOT_A_PROXY_REQUEST = "this is a forward proxy: send absolute-form requests"
      + " (for example: curl -x http://127.0.0.1:3128 http://example.com/), or configure"
      + " upstream.default to forward origin-form requests";

  private final ClientSide client;
  private final RequestHead request;
  /** The client connection's: its requests usually share one origin. */
  private final RequestTarget.Memo targets;
  private final ProxyOptions options;
  private final UpstreamPool pool;
  private final ProxyListener listener;
  private final long startNanos = LoopClock.nanoTime();
  /** Idempotent and without a body: may share a busy upstream connection (RFC 9112 9.3.2). */
  private final boolean pipelinable;
  private final int listenPort;

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
  private Origin origin;
  private Buffer upstreamHead;
  private int attempts;
  private boolean webSocket;
  /** Names of the fields the rules removed, both ways; most exchanges remove none or one. */
  private List<String> removedFields = List.of();

  /** What an exchange needs from the client connection it serves. */
  public interface ClientSide {
    void write(Buffer data);

    boolean writeQueueFull();

    void onDrain(Runnable r);

    void pauseReading();

    void resumeReading();

    /** The upstream is ready: start delivering request body bytes. */
    void startBody();

    boolean requestBodyPending();

    /** The proxy is draining: this response is the connection's last. */
    boolean draining();

    boolean isClosed();

    String remoteAddress();

    /** Answer with an error and close (nothing of the response was sent yet). */
    void reject(Rejection rejection, boolean headOnly);

    /** The same, with extra fields such as Allow. */
    void reject(Rejection rejection, boolean headOnly, HttpFields extra);

    /** Cut the connection: a response was started and cannot be completed. */
    void abort();

    /** The response is complete; keep the connection for the next request or close it. */
    void exchangeDone(boolean keepAlive);

    /** The upstream agreed to a WebSocket upgrade: join the client to {@code upstream}. */
    void upgraded(PeerInput upstream, Buffer fromUpstream);

    /** The response timeout; on expiry the client side calls {@link #responseTimedOut()}. */
    Deadline responseDeadline();
  }

  public Exchange(ClientSide client, RequestHead request, RequestTarget.Memo targets,
      ProxyOptions options, UpstreamPool pool, ProxyListener listener, int listenPort) {
    this.listenPort = listenPort;
    this.client = client;
    this.request = request;
    this.targets = targets;
    this.options = options;
    this.pool = pool;
    this.listener = listener;
    this.pipelinable = RetryPolicy.isIdempotent(request.method()) && !request.framing().hasBody();
  }

  public void start() {
    if (request.method().equals("TRACE") && !options.allowTrace()) {
      // RFC 9110 9.3.8: TRACE reflects requests, credentials included; most proxies refuse it.
      done = true;
      listener.requestRejected(405, "TRACE is disabled");
      record(405, false);
      client.reject(new Rejection(405, "TRACE is disabled on this proxy"), false,
          HttpFields.of("Allow", LocalAnswers.ALLOW));
      return;
    }
    RequestTarget.Result parsed = targets.parse(request.method(), request.target());
    if (parsed.rejection() != null) {
      reject(parsed.rejection());
      return;
    }
    Origin origin;
    String path;
    String hostField;
    RequestTarget target = parsed.target();
    if (target instanceof RequestTarget.Absolute a) {
      origin = a.origin();
      path = a.pathAndQuery();
      // RFC 9112 3.2.2: a proxy ignores the received Host and uses the target's authority.
      hostField = origin.hostField();
    } else if (target instanceof RequestTarget.AuthorityForm) {
      reject(new Rejection(501, "CONNECT tunnels are not supported yet"));
      return;
    } else if (options.defaultUpstream() == null && PacFile.isRequest(request.method(), target)) {
      answerLocally(LocalAnswers.pacFile(request, options.host(), listenPort));
      return;
    } else {
      // origin-form or asterisk-form: only with a configured default upstream (sidecar use).
      origin = options.defaultUpstream();
      path = target instanceof RequestTarget.OriginForm o ? o.pathAndQuery() : "*";
      hostField = origin == null || request.fields().contains("Host") ? null : origin.hostField();
    }
    if (origin == null) {
      reject(Rejection.badRequest(NOT_A_PROXY_REQUEST));
      return;
    }
    String loop = LoopDetection.loop(request.fields(), origin, options.pseudonym(), options.host(), listenPort);
    if (loop != null) {
      reject(new Rejection(508, loop));
      return;
    }
    webSocket = options.allowWebSocket()
        && Upgrades.asksForWebSocket(request.method(), request.version(), request.fields());
    HeaderRules.Outcome rules = HeaderRules.request(request.fields(),
        new HeaderRules.RequestFacts(request.version(), hostField, options.pseudonym(), webSocket));
    if (rules.rejected()) {
      reject(rules.rejection());
      return;
    }
    noteRemoved(Direction.REQUEST, rules);
    MaxForwards.Step hops = MaxForwards.apply(request.method(), rules.fields());
    if (hops instanceof MaxForwards.AnswerHere) {
      answerLocally(LocalAnswers.maxForwardsReached(request, options.allowTrace()));
      return;
    }
    HttpFields toSend = ((MaxForwards.Forward) hops).fields();
    // Forwarding fields come after stripping (A5): a client cannot nominate them away.
    toSend = options.forwarded().apply(toSend, client.remoteAddress(), origin.scheme(),
        hostField != null ? hostField : request.fields().get("Host"));
    this.origin = origin;
    this.upstreamHead = MessageWriter.requestHead(request.method(), path, toSend, request.framing());
    attempt(false);
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
    up.send(upstreamHead, request.method(), request.framing(), this,
        pipelinable, webSocket);
    client.responseDeadline().arm(options.responseTimeout().toMillis());
    if (request.framing().hasBody()) {
      client.startBody();
    }
  }

  /** No response head within the response timeout: 504 (or a retry, as any failure). */
  public void responseTimedOut() {
    if (!done && response == null && upstream != null) {
      upstream.discard(this, CloseReason.ERROR);
      failed(new UpstreamFailure(504, "upstream did not respond within " + options.responseTimeout().toMillis() + " ms"));
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
    HeaderRules.Outcome rules = HeaderRules.response(h.fields(), h.version(), options.pseudonym());
    if (!rules.rejected()) {
      client.write(MessageWriter.interimHead(h.status(), h.reason(), rules.fields()));
    }
  }

  @Override
  public void head(ResponseHead h) {
    client.responseDeadline().disarm();
    HeaderRules.Outcome rules = HeaderRules.response(h.fields(), h.version(), options.pseudonym());
    if (rules.rejected()) {
      upstream.discard(this, CloseReason.ERROR);
      failed(UpstreamFailure.of(rules.rejection()));
      return;
    }
    noteRemoved(Direction.RESPONSE, rules);
    response = h;
    clientFraming = switch (h.framing().kind()) {
      case NONE, LENGTH -> h.framing();
      // Re-frame: chunked for HTTP/1.1 clients; an HTTP/1.0 client reads until we close.
      case CHUNKED, UNTIL_CLOSE ->
          request.version() == HttpVersion.HTTP_1_1 ? BodyFraming.CHUNKED : BodyFraming.UNTIL_CLOSE;
    };
    closeClient = !clientPersistent() || clientFraming.kind() == BodyFraming.Kind.UNTIL_CLOSE
        || client.requestBodyPending() || client.draining();
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

  /**
   * RFC 9112 9.3: HTTP/1.1 persists unless "close" is present. An HTTP/1.0 client's keep-alive
   * is honoured only if configured (9.3.1: a dumb proxy may be between us and have forwarded it).
   * Proxy-Connection counts like Connection for this hop (http-rules A3).
   */
  private boolean clientPersistent() {
    HttpFields f = request.fields();
    if (f.hasToken("Connection", "close") || f.hasToken("Proxy-Connection", "close")) {
      return false;
    }
    if (request.version() == HttpVersion.HTTP_1_1) {
      return true;
    }
    return options.honorHttp10KeepAlive()
        && (f.hasToken("Connection", "keep-alive") || f.hasToken("Proxy-Connection", "keep-alive"));
  }

  @Override
  public void switched(ResponseHead h, PeerInput upstreamInput, Buffer rest) {
    if (done) {
      SocketClosing.now(upstreamInput.socket());
      return;
    }
    client.responseDeadline().disarm();
    HeaderRules.Outcome rules = HeaderRules.response(h.fields(), h.version(), options.pseudonym());
    HttpFields fields = rules.fields().toBuilder().add("Upgrade", "websocket").add("Connection", "Upgrade").build();
    client.write(MessageWriter.interimHead(101, h.reason(), fields));
    done = true;
    record(101, false);
    client.upgraded(upstreamInput, rest);
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
    if (!responseStarted && RetryPolicy.mayRetry(request.method(), request.framing(), failure.staleConnection(), attempts)) {
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
    if (done) {
      return;
    }
    done = true;
    client.responseDeadline().disarm();
    listener.requestRejected(rejection.status(), rejection.reason());
    record(rejection.status(), false);
    client.reject(rejection, request.isHead());
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
    if (rules.removed().isEmpty()) {
      return;
    }
    listener.fieldsRemoved(direction, rules.removed());
    if (done) {
      return; // recorded already: the record holds the list, which must not change
    }
    if (removedFields.isEmpty()) {
      removedFields = new ArrayList<>(4);
    }
    rules.removed().forEach(r -> removedFields.add(r.name()));
  }

  /** Once per exchange, as done is set: removedFields is final from then on, so the record shares it. */
  private void record(int status, boolean aborted) {
    listener.requestCompleted(new ProxyListener.ExchangeRecord(client.remoteAddress(), request.method(),
        request.target(), status, requestBytes, responseBytes, LoopClock.nanoTime() - startNanos,
        upstreamReused, aborted, removedFields.isEmpty() ? List.of() : Collections.unmodifiableList(removedFields)));
  }
}
