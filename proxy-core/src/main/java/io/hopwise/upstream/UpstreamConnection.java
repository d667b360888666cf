package io.hopwise.upstream;

import io.hopwise.ProxyListener.CloseReason;
import io.hopwise.http.BodyFraming;
import io.hopwise.http.ChunkedDecoder;
import io.hopwise.http.HttpFields;
import io.hopwise.http.HttpVersion;
import io.hopwise.http.KeepAlive;
import io.hopwise.http.ParseOutcome;
import io.hopwise.http.Rejection;
import io.hopwise.http.ResponseHead;
import io.hopwise.http.ResponseHeadParser;
import io.hopwise.io.MessageWriter;
import io.hopwise.io.SocketClosing;
import io.hopwise.http.Origin;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;

/**
 * One persistent connection to an origin: writes a request, reads its response with the strict
 * codec, and tells its pool whether it may be reused (RFC 9112 9.3). One exchange at a time.
 */
public final class UpstreamConnection {
  private static final int MAX_RESPONSE_HEAD = 65536;
  private static final int MAX_FIELDS = 200;

  private final NetSocket socket;
  private final Origin origin;
  private final UpstreamPool pool;
  private final long createdNanos;
  private final ResponseHeadParser parser = new ResponseHeadParser(MAX_RESPONSE_HEAD, MAX_FIELDS);

  private ResponseHandler handler;
  private String method;
  private boolean requestChunked;
  private boolean requestComplete;
  private Buffer pending = Buffer.buffer();
  private ResponseHead head;
  private long remaining;
  private ChunkedDecoder chunked;
  private boolean anyResponseByte;
  private boolean closed;
  long idleTimer = -1;
  long idleSinceNanos;
  int exchanges;
  /** How long this connection may sit idle: the pool's limit, or less if the upstream said so. */
  long idleLimitMillis = Long.MAX_VALUE;
  /** Requests the upstream still accepts on this connection (Keep-Alive max), or unlimited. */
  long requestsLeft = Long.MAX_VALUE;

  UpstreamConnection(NetSocket socket, Origin origin, UpstreamPool pool) {
    this.socket = socket;
    this.origin = origin;
    this.pool = pool;
    this.createdNanos = System.nanoTime();
    socket.handler(this::received);
    socket.closeHandler(v -> peerClosed());
    socket.exceptionHandler(e -> fail(new UpstreamFailure(502, "upstream connection error: " + e.getMessage(),
        !anyResponseByte && exchanges > 0)));
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

  /** origin, four-tuple and exchanges served, for logs. */
  String describe() {
    var l = socket.localAddress();
    var r = socket.remoteAddress();
    return origin + " " + (l == null ? "-" : l.hostAddress() + ":" + l.port()) + " -> "
        + (r == null ? "-" : r.hostAddress() + ":" + r.port()) + " requests=" + exchanges;
  }

  long ageNanos(long now) {
    return now - createdNanos;
  }

  boolean isOpen() {
    return !closed;
  }

  /** Starts an exchange: writes the request head; the body follows through {@link #writeBody}. */
  public void send(Buffer requestHead, String requestMethod, BodyFraming framing, ResponseHandler h) {
    this.handler = h;
    this.method = requestMethod;
    this.requestChunked = framing.kind() == BodyFraming.Kind.CHUNKED;
    this.requestComplete = !framing.hasBody();
    this.head = null;
    this.chunked = null;
    this.anyResponseByte = false;
    this.pending = Buffer.buffer();
    socket.resume();
    socket.write(requestHead);
  }

  public boolean anyResponseByte() {
    return anyResponseByte;
  }

  public void writeBody(Buffer data) {
    if (closed || data.length() == 0) {
      return;
    }
    if (requestChunked) {
      socket.write(MessageWriter.chunkPrefix(data.length()));
      socket.write(data);
      socket.write(MessageWriter.chunkSuffix());
    } else {
      socket.write(data);
    }
  }

  public void endBody(HttpFields trailers) {
    if (closed) {
      return;
    }
    if (requestChunked) {
      socket.write(MessageWriter.lastChunk(trailers));
    }
    requestComplete = true;
  }

  public boolean writeQueueFull() {
    return socket.writeQueueFull();
  }

  public void drainHandler(Runnable r) {
    socket.drainHandler(v -> r.run());
  }

  public void pause() {
    socket.pause();
  }

  public void resume() {
    socket.resume();
  }

  /** Returns an unused connection (its exchange was cancelled before sending anything). */
  public void giveBack() {
    pool.release(this, true);
  }

  /** The exchange is abandoned (client gone, timeout): this connection cannot be reused. */
  public void discard(CloseReason reason) {
    handler = null;
    closeNow(reason);
  }

  private void received(Buffer data) {
    if (handler == null) {
      // RFC 9112 9.3: bytes on an idle connection belong to no request; never reuse it.
      closeNow(CloseReason.NOT_REUSABLE);
      return;
    }
    anyResponseByte = true;
    if (head == null) {
      pending.appendBuffer(data);
      parseHeads();
    } else {
      body(data);
    }
  }

  private void parseHeads() {
    while (handler != null && head == null) {
      byte[] bytes = pending.getBytes();
      ParseOutcome<ResponseHead> outcome = parser.parse(bytes, bytes.length, method);
      if (outcome instanceof ParseOutcome.NeedMore<ResponseHead>) {
        return;
      }
      if (outcome instanceof ParseOutcome.Refused<ResponseHead> refused) {
        fail(UpstreamFailure.of(refused.rejection()));
        return;
      }
      var parsed = (ParseOutcome.Parsed<ResponseHead>) outcome;
      Buffer rest = pending.slice(parsed.consumed(), bytes.length);
      pending = Buffer.buffer();
      ResponseHead h = parsed.head();
      if (h.isInformational() && h.status() != 101) {
        handler.informational(h);
        pending.appendBuffer(rest);
        continue;
      }
      if (h.status() == 101) {
        fail(new UpstreamFailure(502, "upstream switched protocols without being asked"));
        return;
      }
      head = h;
      handler.head(h);
      if (handler == null) {
        return;
      }
      BodyFraming framing = h.framing();
      if (framing.kind() == BodyFraming.Kind.LENGTH) {
        remaining = framing.length();
      } else if (framing.kind() == BodyFraming.Kind.CHUNKED) {
        chunked = new ChunkedDecoder(502, MAX_RESPONSE_HEAD, MAX_FIELDS);
      }
      if (!framing.hasBody()) {
        finish(HttpFields.EMPTY, rest);
      } else if (rest.length() > 0) {
        body(rest);
      }
    }
  }

  private void body(Buffer data) {
    switch (head.framing().kind()) {
      case LENGTH -> {
        int take = (int) Math.min(remaining, data.length());
        remaining -= take;
        handler.data(take == data.length() ? data : data.slice(0, take));
        if (remaining == 0 && handler != null) {
          finish(HttpFields.EMPTY, data.slice(take, data.length()));
        }
      }
      case CHUNKED -> {
        Rejection r = chunked.feed(data, new ChunkedDecoder.Sink() {
          @Override
          public void data(Buffer chunk) {
            if (handler != null) {
              handler.data(chunk);
            }
          }

          @Override
          public void end(HttpFields trailers, Buffer rest) {
            if (handler != null) {
              finish(trailers, rest);
            }
          }
        });
        if (r != null) {
          fail(UpstreamFailure.of(r));
        }
      }
      case UNTIL_CLOSE -> handler.data(data);
      case NONE -> closeNow(CloseReason.NOT_REUSABLE);
    }
  }

  private void finish(HttpFields trailers, Buffer rest) {
    ResponseHandler h = handler;
    handler = null;
    // RFC 9112 9.3: reuse only a connection the upstream keeps open, with the request fully sent
    // and no stray bytes after the response.
    boolean reusable = requestComplete && rest.length() == 0 && keepsAlive(head) && applyKeepAlive(head);
    exchanges++;
    h.end(trailers);
    pool.release(this, reusable);
  }

  /**
   * Honours {@code Keep-Alive: timeout=N, max=M}: we stop using the connection one second before
   * the upstream's idle timeout and once it has taken its last request (http-rules C4).
   */
  private boolean applyKeepAlive(ResponseHead head) {
    KeepAlive ka = KeepAlive.of(head.fields());
    if (ka.max() >= 0) {
      requestsLeft = ka.max();
    } else if (requestsLeft != Long.MAX_VALUE) {
      requestsLeft--;
    }
    if (ka.timeoutSeconds() >= 0) {
      idleLimitMillis = ka.timeoutSeconds() * 1000 - 1000;
    }
    return requestsLeft > 0 && idleLimitMillis > 0;
  }

  static boolean keepsAlive(ResponseHead head) {
    if (head.framing().kind() == BodyFraming.Kind.UNTIL_CLOSE) {
      return false;
    }
    HttpFields f = head.fields();
    if (f.hasToken("Connection", "close")) {
      return false;
    }
    return head.version() == HttpVersion.HTTP_1_1 || f.hasToken("Connection", "keep-alive");
  }

  private void peerClosed() {
    boolean wasClosed = closed;
    closed = true;
    if (handler != null && head != null && head.framing().kind() == BodyFraming.Kind.UNTIL_CLOSE) {
      ResponseHandler h = handler;
      handler = null;
      exchanges++;
      h.end(HttpFields.EMPTY);
      pool.closed(this, CloseReason.NOT_REUSABLE);
      return;
    }
    if (handler != null) {
      fail(new UpstreamFailure(502, head == null
          ? "upstream closed the connection before responding"
          : "upstream closed the connection in the middle of the response body",
          !anyResponseByte && exchanges > 0));
    }
    if (!wasClosed) {
      pool.closed(this, CloseReason.PEER_CLOSED);
    }
  }

  private void fail(UpstreamFailure failure) {
    ResponseHandler h = handler;
    handler = null;
    closeNow(CloseReason.ERROR);
    if (h != null) {
      h.failed(failure);
    }
  }

  void closeNow(CloseReason reason) {
    if (!closed) {
      closed = true;
      SocketClosing.now(socket);
      pool.closed(this, reason);
    }
  }
}
