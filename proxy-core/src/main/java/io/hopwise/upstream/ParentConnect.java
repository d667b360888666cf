package io.hopwise.upstream;

import io.hopwise.http.ParseOutcome;
import io.hopwise.http.ResponseHead;
import io.hopwise.http.ResponseHeadParser;
import io.hopwise.io.PendingBytes;
import io.hopwise.io.SocketClosing;
import io.hopwise.policy.Parent;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;

/**
 * Opens a tunnel through a parent proxy (issue 27): {@code CONNECT host:port} with our
 * {@code Proxy-Authorization} for that parent, then its answer's head. A 2xx answer to CONNECT
 * has no body (RFC 9110 9.3.6): every byte after its head is the origin's, and is handed on. Any
 * other answer fails with the status the client gets ({@link ParentAnswers}).
 */
final class ParentConnect {
  private static final int MAX_HEAD = 16384;
  private static final int MAX_FIELDS = 100;

  private ParentConnect() {}

  /**
   * @param authority {@code host:port} of the origin, as the CONNECT names it
   * @param shownAs how failures name the destination
   * @return the bytes that came after the 2xx head (often none)
   */
  static Future<Buffer> open(Vertx vertx, NetSocket socket, Parent parent, String authority, String shownAs,
      long timeoutMillis) {
    Promise<Buffer> done = Promise.promise();
    ResponseHeadParser parser = new ResponseHeadParser(MAX_HEAD, MAX_FIELDS);
    Buffer[] pending = {Buffer.buffer(0)};
    long timer = vertx.setTimer(Math.max(1, timeoutMillis), t -> {
      if (done.tryFail(new UpstreamFailure(504, "parent " + parent.name() + " did not answer CONNECT " + shownAs
          + " within " + timeoutMillis + " ms"))) {
        SocketClosing.now(socket);
      }
    });
    socket.exceptionHandler(e -> {
      if (done.tryFail(new UpstreamFailure(502, "parent " + parent.name() + ": " + e.getMessage()))) {
        vertx.cancelTimer(timer);
      }
    });
    socket.endHandler(v -> {
      if (done.tryFail(new UpstreamFailure(502, "parent " + parent.name() + " closed the connection before answering CONNECT "
          + shownAs))) {
        vertx.cancelTimer(timer);
        SocketClosing.now(socket);
      }
    });
    socket.handler(data -> {
      pending[0] = PendingBytes.append(pending[0], data);
      ParseOutcome<ResponseHead> outcome = PendingBytes.parseHead(pending[0], (b, n) -> parser.parse(b, n, "CONNECT"));
      if (outcome instanceof ParseOutcome.NeedMore<ResponseHead>) {
        return;
      }
      vertx.cancelTimer(timer);
      socket.handler(null);
      socket.endHandler(null);
      socket.exceptionHandler(null);
      if (outcome instanceof ParseOutcome.Refused<ResponseHead> r) {
        SocketClosing.now(socket);
        done.tryFail(new UpstreamFailure(502, "parent " + parent.name() + " sent a malformed answer to CONNECT: "
            + r.rejection().reason()));
        return;
      }
      var parsed = (ParseOutcome.Parsed<ResponseHead>) outcome;
      ResponseHead head = parsed.head();
      if (head.status() / 100 == 2) {
        // Not paused: the caller's chain (Vert.x futures complete in this same call, on this event
        // loop) gives the socket its next reader before Netty delivers another read.
        done.tryComplete(pending[0].slice(parsed.consumed(), pending[0].length()).copy());
      } else {
        SocketClosing.now(socket);
        done.tryFail(ParentAnswers.refusal(parent, "CONNECT " + shownAs, head.status(), head.reason()));
      }
    });
    StringBuilder request = new StringBuilder(128)
        .append("CONNECT ").append(authority).append(" HTTP/1.1\r\nHost: ").append(authority).append("\r\n");
    if (parent.authorization() != null) {
      request.append("Proxy-Authorization: ").append(parent.authorization()).append("\r\n");
    }
    socket.write(Buffer.buffer(request.append("\r\n").toString()));
    return done.future();
  }
}
