package io.hopwise.upstream;

import io.hopwise.http.HttpFields;
import io.hopwise.http.ResponseHead;
import io.vertx.core.buffer.Buffer;
import io.hopwise.io.PeerInput;

/** Receives one response from an upstream connection, in order. */
public interface ResponseHandler {
  /** A 1xx response (RFC 9110 15.2); more heads follow. */
  void informational(ResponseHead head);

  /** The final response head. */
  void head(ResponseHead head);

  /**
   * The head and whatever of its body came in the same read have been delivered: the handler
   * may hold the head back until here, so that it leaves together with those body bytes.
   */
  void headRead();

  /** Body bytes, de-framed. */
  void data(Buffer data);

  /** The body ended cleanly. */
  void end(HttpFields trailers);

  /** The exchange failed; nothing more follows. */
  void failed(UpstreamFailure failure);

  /**
   * The upstream agreed to the upgrade we asked for (101). The connection has left the pool:
   * {@code upstream} (its input, with the socket) now belongs to the handler, with {@code rest}
   * the bytes it sent after the head.
   */
  void switched(ResponseHead head, PeerInput upstream, Buffer rest);
}
