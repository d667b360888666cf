package io.hopwise.bench.soak;

import java.util.Random;

/**
 * One soak transfer, drawn at random: how the origin frames and ends the body, how big it is, and
 * how the client reads it. The request carries it to the origin as a query string.
 */
record Transfer(int id, Kind kind, long size, long seed, long resetAt, String clientVersion,
    int step, int pauseMillis, int startPauseMillis, int receiveBuffer, boolean halfCloseAfterRequest) {

  /** The origin's framing and close style. */
  enum Kind {
    LENGTH_KEEPALIVE, LENGTH_CLOSE, CHUNKED_KEEPALIVE, CHUNKED_CLOSE, UNTIL_CLOSE, TUNNEL, WEBSOCKET;

    boolean raw() {
      return this == TUNNEL || this == WEBSOCKET;
    }
  }

  private static final long MAX = 20L * 1024 * 1024;

  static Transfer draw(int id, Random r) {
    Kind kind = Kind.values()[r.nextInt(Kind.values().length)];
    // 5 % empty; otherwise log-uniform from 1 B to 20 MB, so that both tiny and large bodies are common.
    long size = r.nextInt(20) == 0 ? 0 : Math.min(MAX, (long) Math.exp(r.nextDouble() * Math.log(MAX)));
    // 1 in 8 origins reset the connection part-way through the body.
    long resetAt = size > 0 && r.nextInt(8) == 0 ? (long) (r.nextDouble() * size) : -1;
    String version = kind.raw() || r.nextInt(5) != 0 ? "HTTP/1.1" : "HTTP/1.0";
    int style = r.nextInt(4); // fast; stepped; paused at the start then stepped; paused at the start then fast
    int step = style == 0 || style == 3 ? Integer.MAX_VALUE : 16 * 1024 << r.nextInt(6);
    int pause = style == 1 || style == 2 ? 1 + r.nextInt(10) : 0;
    int startPause = style >= 2 ? 50 + r.nextInt(750) : 0;
    int receiveBuffer = r.nextBoolean() ? 0 : 64 * 1024;
    long seed = r.nextLong();
    // 1 in 4 clients shut down their output right after the request and then read (as `nc -N` or a
    // client's shutdown(SHUT_WR) does); a WebSocket client keeps its side open.
    boolean halfClose = kind != Kind.WEBSOCKET && r.nextInt(4) == 0;
    return new Transfer(id, kind, size, seed, resetAt, version, step, pause, startPause, receiveBuffer, halfClose);
  }

  /** The query string that tells the origin what to send. */
  String query() {
    return "/t?kind=" + kind + "&size=" + size + "&seed=" + seed + "&reset=" + resetAt;
  }

  boolean resets() {
    return resetAt >= 0;
  }
}
