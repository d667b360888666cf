package io.hopwise.http;

/**
 * Which protocol upgrades we pass through (RFC 9110 7.8). Upgrade is hop-by-hop and stripped;
 * only WebSocket (RFC 6455 4.1: GET, HTTP/1.1, Connection: Upgrade, Upgrade: websocket) can be
 * allowed, for sidecar use. h2c and anything else are always stripped.
 */
public final class Upgrades {
  private Upgrades() {}

  /** The client asked for a WebSocket upgrade in the form RFC 6455 requires. */
  public static boolean asksForWebSocket(String method, HttpVersion version, HttpFields fields) {
    return method.equals("GET") && version == HttpVersion.HTTP_1_1
        && fields.hasToken("Connection", "upgrade") && fields.hasToken("Upgrade", "websocket");
  }

  /** A 101 agrees to exactly what we forwarded: a WebSocket upgrade. */
  public static boolean agreesToWebSocket(ResponseHead head) {
    return head.status() == 101 && head.fields().hasToken("Upgrade", "websocket");
  }
}
