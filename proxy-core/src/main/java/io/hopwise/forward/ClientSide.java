package io.hopwise.forward;

import io.hopwise.http.HttpFields;
import io.hopwise.http.Rejection;
import io.hopwise.io.Deadline;
import io.hopwise.io.PeerInput;
import io.vertx.core.buffer.Buffer;

/**
 * What an exchange needs from the client connection it serves (server/ClientConnection implements
 * it): writing with backpressure, the request body's pace, and how the connection ends.
 */
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
  void upgraded(PeerInput upstream, Buffer fromUpstream, JoinEnded ended);

  /** The proxy-authenticated user of this request, or null. */
  String user();

  /** The client connection's id and this request's number on it (issue 24). */
  io.hopwise.ClientLeg leg();

  /** Whether the connection view is being read: then TCP_INFO is taken at first and last byte (issue 24). */
  default boolean watched() {
    return false;
  }

  /** The client socket's TCP_INFO now (null where unavailable). */
  default io.hopwise.TcpInfo tcpInfo() {
    return null;
  }

  /** A joined connection (after a 101) ended: the bytes each way and whether it was cut. */
  interface JoinEnded {
    /**
     * @param upstreamEndedFirst the origin's end came before the client's (who holds TIME_WAIT)
     * @param upstreamAtClose the kernel's view of the upstream socket before it closed, or null
     */
    void ended(long fromClient, long toClient, boolean aborted, boolean upstreamEndedFirst,
        io.hopwise.TcpInfo upstreamAtClose);
  }

  /** The response timeout; on expiry the client side calls {@link Exchange#responseTimedOut()}. */
  Deadline responseDeadline();
}
