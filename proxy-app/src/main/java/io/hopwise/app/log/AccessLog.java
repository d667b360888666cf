package io.hopwise.app.log;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hopwise.ProxyListener;
import java.io.PrintStream;
import java.time.Instant;
import java.util.Locale;

/**
 * One line per request and per tunnel: JSON lines (for Kubernetes log collectors) or a
 * Squid-like text line. Written from event-loop threads; PrintStream is synchronized per line.
 */
public final class AccessLog implements ProxyListener {
  /** How lines are written. */
  public enum Format { JSON, SQUID, OFF }

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Format format;
  private final PrintStream out;

  public AccessLog(Format format, PrintStream out) {
    this.format = format;
    this.out = out;
  }

  @Override
  public void requestCompleted(ExchangeRecord r) {
    if (format == Format.OFF) {
      return;
    }
    String upstream = r.status() == 0 && r.aborted() ? "none" : r.upstreamReused() ? "reused" : "new";
    out.println(format == Format.JSON ? json(r, upstream) : squid(r, upstream));
  }

  @Override
  public void tunnelClosed(TunnelRecord t) {
    if (format == Format.OFF) {
      return;
    }
    String target = t.host().indexOf(':') >= 0 ? "[" + t.host() + "]:" + t.port() : t.host() + ":" + t.port();
    if (format == Format.JSON) {
      ObjectNode n = JSON.createObjectNode();
      n.put("time", Instant.now().toString());
      n.put("type", "tunnel");
      n.put("method", "CONNECT");
      n.put("target", target);
      n.put("status", 200);
      n.put("bytes_in", t.bytesFromClient());
      n.put("bytes_out", t.bytesToClient());
      n.put("duration_ms", t.durationNanos() / 1_000_000.0);
      out.println(n.toString());
    } else {
      out.println(String.format(Locale.ROOT, "%s %6d - TCP_TUNNEL/200 %d CONNECT %s - HIER_DIRECT/- -",
          squidTime(), t.durationNanos() / 1_000_000, t.bytesToClient(), target));
    }
  }

  private static String json(ExchangeRecord r, String upstream) {
    ObjectNode n = JSON.createObjectNode();
    n.put("time", Instant.now().toString());
    n.put("type", "request");
    n.put("client", r.clientAddress());
    n.put("method", r.method());
    n.put("target", r.target());
    n.put("status", r.status());
    n.put("bytes_in", r.requestBodyBytes());
    n.put("bytes_out", r.responseBodyBytes());
    n.put("duration_ms", r.durationNanos() / 1_000_000.0);
    n.put("upstream", upstream);
    n.put("aborted", r.aborted());
    var removed = n.putArray("removed");
    r.removedFields().forEach(removed::add);
    return n.toString();
  }

  /** Squid's native format: time elapsed client result/status bytes method URL user hierarchy type. */
  private static String squid(ExchangeRecord r, String upstream) {
    String result = r.aborted() ? "TCP_MISS_ABORTED" : "TCP_MISS";
    return String.format(Locale.ROOT, "%s %6d %s %s/%03d %d %s %s - HIER_DIRECT/%s -",
        squidTime(), r.durationNanos() / 1_000_000, r.clientAddress(), result, r.status(),
        r.responseBodyBytes(), r.method(), r.target(), upstream);
  }

  private static String squidTime() {
    long ms = System.currentTimeMillis();
    return String.format(Locale.ROOT, "%d.%03d", ms / 1000, ms % 1000);
  }
}
