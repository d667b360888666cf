package io.hopwise;

/**
 * Which side of a TCP connection closed first (issue 24). The side that sends the first FIN holds
 * the connection in TIME_WAIT for a while after it closes (RFC 9293 3.6); a proxy that closes its
 * upstream connections first spends its own ephemeral ports on that. A reset leaves no TIME_WAIT.
 */
public enum FirstToClose {
  /** The peer (client or origin) sent its FIN before we closed. */
  PEER,
  /** We closed first: the TIME_WAIT is ours. */
  PROXY,
  /** Reset (ours or theirs): no orderly close, no TIME_WAIT. */
  RESET;

  /** A reset when {@code reset}, else the peer when its end came first, else us. */
  public static FirstToClose of(boolean reset, boolean peerFirst) {
    return reset ? RESET : peerFirst ? PEER : PROXY;
  }

  public String configName() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
