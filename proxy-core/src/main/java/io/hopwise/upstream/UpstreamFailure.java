package io.hopwise.upstream;

import io.hopwise.http.Rejection;
import io.netty.channel.ConnectTimeoutException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import javax.net.ssl.SSLException;

/**
 * An upstream problem and the status it maps to (http-rules E): 502 unreachable or broken,
 * 503 pool queue full, 504 timeout.
 */
public final class UpstreamFailure extends Exception {
  private final int status;
  private final boolean beforeResponseOnReusedConnection;
  private final boolean parentMarkedDown;

  public UpstreamFailure(int status, String message) {
    this(status, message, false);
  }

  UpstreamFailure(int status, String message, boolean beforeResponseOnReusedConnection) {
    this(status, message, beforeResponseOnReusedConnection, false);
  }

  UpstreamFailure(int status, String message, boolean beforeResponseOnReusedConnection, boolean parentMarkedDown) {
    super(message, null, false, false);
    this.status = status;
    this.beforeResponseOnReusedConnection = beforeResponseOnReusedConnection;
    this.parentMarkedDown = parentMarkedDown;
  }

  /**
   * The connection failed before any byte of this response arrived, and either it had served
   * earlier requests (most likely the upstream closed it while idle, just as we sent: the stale
   * keep-alive race, RFC 9112 9.3.1) or it was reset (a server that died after accepting it).
   * Safe to retry once if the request is idempotent (RFC 9110 9.2.2).
   */
  public boolean staleConnection() {
    return beforeResponseOnReusedConnection;
  }

  /** The failure marked the parent it went to down: a new attempt takes another of the route's parents. */
  public boolean parentMarkedDown() {
    return parentMarkedDown;
  }

  public int status() {
    return status;
  }

  public Rejection toRejection() {
    return new Rejection(status, getMessage());
  }

  public static UpstreamFailure of(Rejection r) {
    return new UpstreamFailure(r.status(), r.reason());
  }

  /**
   * Maps a connect failure to the status the client gets (http-rules E): 504 for a timeout, 502
   * otherwise. {@code target} is how the reason names the destination: an origin
   * ({@code http://host:port}) for a request, an authority ({@code host:port}) for a tunnel.
   */
  public static UpstreamFailure connectFailed(String target, String host, Throwable cause) {
    if (cause instanceof ConnectTimeoutException) {
      return new UpstreamFailure(504, "timed out connecting to " + target);
    }
    if (cause instanceof UnknownHostException) {
      return new UpstreamFailure(502, "cannot resolve host " + host);
    }
    if (cause instanceof SSLException || cause.getCause() instanceof SSLException) {
      return new UpstreamFailure(502, "TLS handshake with " + target + " failed: " + cause.getMessage());
    }
    if (cause instanceof ConnectException) {
      return new UpstreamFailure(502, "cannot connect to " + target + ": connection refused");
    }
    return new UpstreamFailure(502, "cannot connect to " + target + ": " + cause.getMessage());
  }
}
