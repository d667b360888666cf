package io.hopwise.app.log;

import io.hopwise.ProxyListener;
import io.hopwise.policy.RoleVerdict;
import io.hopwise.http.Authority;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * One line per request and per tunnel: JSON lines (for Kubernetes log collectors) or a
 * Squid-like text line. Written from event-loop threads as one byte array per line (PrintStream
 * writes are synchronized, so lines never interleave).
 */
public final class AccessLog implements ProxyListener {
  /** How lines are written. */
  public enum Format { JSON, SQUID, OFF }

  /** A reload may change it (issue 26); each line is written in one format. */
  private volatile Format format;
  private final PrintStream out;

  public AccessLog(Format format, PrintStream out) {
    this.format = format;
    this.out = out;
  }

  /** Lines from now on are written in {@code next} (a reload's {@code accessLog:}). */
  public void format(Format next) {
    this.format = next;
  }

  @Override
  public void requestCompleted(ExchangeRecord r) {
    Format format = this.format;
    if (format == Format.OFF) {
      return;
    }
    String upstream = r.upstream().name().toLowerCase(Locale.ROOT);
    write(format == Format.JSON ? json(r, upstream) : squid(r, upstream).getBytes(StandardCharsets.UTF_8));
  }

  /** Refusals are lines too (Squid: TCP_DENIED/407, NONE_NONE/400, NONE_NONE/502 CONNECT ...). */
  @Override
  public void requestRefused(ExchangeRecord r) {
    requestCompleted(r);
  }

  @Override
  public void tunnelClosed(TunnelRecord t) {
    Format format = this.format;
    if (format == Format.OFF) {
      return;
    }
    String target = Authority.forUri(t.host()) + ":" + t.port();
    if (format == Format.JSON) {
      write(new JsonLine().time("time", System.currentTimeMillis()).string("type", "tunnel")
          .string("client", t.clientAddress()).string("method", "CONNECT").string("target", target).number("status", 200)
          .number("bytes_in", t.bytesFromClient()).number("bytes_out", t.bytesToClient())
          .millis("duration_ms", t.durationNanos()).bool("aborted", t.aborted())
          .string("user", t.user() == null ? "-" : t.user()).decision(t.verdict()).route(t.upstreamLeg()).toBytes());
    } else {
      write(String.format(Locale.ROOT, "%s %6d %s %s/200 %d CONNECT %s %s %s -%s%n",
          squidTime(), t.durationNanos() / 1_000_000, t.clientAddress(), t.aborted() ? "TCP_TUNNEL_ABORTED" : "TCP_TUNNEL",
          t.bytesToClient(), target, t.user() == null ? "-" : t.user(), hierarchy(t.upstreamLeg(), "-"), squidDecision(t.verdict()))
          .getBytes(StandardCharsets.UTF_8));
    }
  }

  private void write(byte[] line) {
    out.write(line, 0, line.length);
  }

  private static byte[] json(ExchangeRecord r, String upstream) {
    return new JsonLine().time("time", System.currentTimeMillis()).string("type", "request")
        .string("client", r.clientAddress()).string("method", r.method()).string("target", r.target())
        .number("status", r.status()).number("bytes_in", r.requestBodyBytes())
        .number("bytes_out", r.responseBodyBytes()).millis("duration_ms", r.durationNanos())
        .string("upstream", upstream).bool("aborted", r.aborted()).strings("removed", r.removedFields())
        .string("user", r.user() == null ? "-" : r.user()).decision(r.verdict()).route(r.upstreamLeg()).toBytes();
  }

  /** Squid's hierarchy field: straight to the origin, or the parent that carried it (issue 27). */
  private static String hierarchy(io.hopwise.UpstreamLeg leg, String upstream) {
    return leg != null && leg.parent() != null ? "FIRSTUP_PARENT/" + leg.parent() : "HIER_DIRECT/" + upstream;
  }

  /**
   * The decision, after Squid's own fields (tools that split on spaces keep their columns):
   * {@code role=payments decision=report-deny rule="not in allow"}; nothing for what no policy
   * looked at.
   */
  static String squidDecision(RoleVerdict v) {
    if (v == RoleVerdict.NONE) {
      return "";
    }
    return " role=" + v.role() + " decision=" + v.outcome().configName() + " rule=\"" + v.rule().replace("\"", "'") + "\"";
  }

  /** Squid's native format: time elapsed client result/status bytes method URL user hierarchy type. */
  private static String squid(ExchangeRecord r, String upstream) {
    boolean none = r.upstream() == ProxyListener.UpstreamUse.NONE;
    // A report-deny went through: Squid has no word for it, the decision field says it.
    String result = r.aborted() ? "TCP_MISS_ABORTED"
        : none && (r.status() == 403 || r.status() == 407) ? "TCP_DENIED" : none ? "NONE_NONE" : "TCP_MISS";
    return String.format(Locale.ROOT, "%s %6d %s %s/%03d %d %s %s %s %s -%s%n",
        squidTime(), r.durationNanos() / 1_000_000, r.clientAddress(), result, r.status(),
        r.responseBodyBytes(), r.method(), r.target(), r.user() == null ? "-" : r.user(),
        none ? "HIER_NONE/" + upstream : hierarchy(r.upstreamLeg(), upstream), squidDecision(r.verdict()));
  }

  private static String squidTime() {
    long ms = System.currentTimeMillis();
    return String.format(Locale.ROOT, "%d.%03d", ms / 1000, ms % 1000);
  }
}
