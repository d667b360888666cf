package io.hopwise.app.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hopwise.ClientLeg;
import io.hopwise.ConnectionsSnapshot;
import io.hopwise.OpenConnection;
import io.hopwise.ProxyListener;
import io.hopwise.TcpInfo;
import io.hopwise.Timed;
import io.hopwise.UpstreamConnectionRecord;
import io.hopwise.UpstreamLeg;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The connection view's data as JSON (issue 24), from a snapshot of every event loop: what
 * {@code /connections.json} serves and the {@code /connections} page draws. Pure: the snapshot,
 * the machine's TIME_WAIT count and the filters in, a JSON tree out.
 *
 * <p>Each exchange carries its two legs and, when a leg's connection closed after it (this was
 * the connection's last exchange), why and who closed first: the join of the exchange records
 * with the connection records by connection id. Targets lose their query strings (and their
 * paths, with {@code view.hidePaths}); no field values are shown.
 */
final class ConnectionsView {
  static final ObjectMapper JSON = new ObjectMapper();

  /** What to show: all empty shows everything. */
  record Filter(String origin, String client, String reason, boolean errorsOnly) {
    static final Filter NONE = new Filter("", "", "", false);

    /**
     * origin: a part of the target (host, port); client: the client's address; reason: a close
     * reason or detail of either leg (e.g. "idle-timeout", "Connection: close"); errors: a 5xx, no
     * status, or an aborted response.
     */
    boolean matches(ObjectNode row) {
      if (!origin.isEmpty() && !row.get("target").asText().contains(origin)) {
        return false;
      }
      if (!client.isEmpty() && !row.get("clientAddress").asText().equals(client)) {
        return false;
      }
      if (!reason.isEmpty() && !closedFor(row.get("closed"), reason)) {
        return false;
      }
      int status = row.get("status").asInt();
      return !errorsOnly || status == 0 || status >= 500 || row.get("aborted").asBoolean();
    }

    private static boolean closedFor(JsonNode closes, String reason) {
      for (JsonNode leg : closes) {
        if (leg.path("reason").asText().equals(reason) || leg.path("detail").asText().toLowerCase(Locale.ROOT).equals(reason)) {
          return true;
        }
      }
      return false;
    }

    static Filter of(Map<String, String> query) {
      return new Filter(query.getOrDefault("origin", "").trim(), query.getOrDefault("client", "").trim(),
          query.getOrDefault("reason", "").trim().toLowerCase(Locale.ROOT), "1".equals(query.get("errors"))
              || "true".equals(query.get("errors")));
    }
  }

  private ConnectionsView() {}

  static ObjectNode render(ConnectionsSnapshot s, long timeWait, boolean hidePaths, Filter filter, long nowMillis) {
    ObjectNode root = JSON.createObjectNode();
    root.put("now", nowMillis);
    root.put("transport", s.transport());
    if (s.tcpInfoAvailable()) {
      root.put("tcpInfo", "available");
    } else {
      root.put("tcpInfo", "not available on this transport (" + s.transport() + ")");
    }
    root.put("timeWait", timeWait);

    ArrayNode open = root.putArray("open");
    s.open().stream().sorted(Comparator.comparing(OpenConnection::leg).thenComparingLong(OpenConnection::id))
        .forEach(c -> open.add(open(c)));

    Map<Long, Timed<ProxyListener.ClientConnectionRecord>> clientEnds = new HashMap<>();
    s.clientClosed().forEach(t -> clientEnds.put(t.record().id(), t));
    Map<Long, Timed<UpstreamConnectionRecord>> upstreamEnds = new HashMap<>();
    s.upstreamClosed().forEach(t -> upstreamEnds.put(t.record().id(), t));

    List<ObjectNode> rows = new ArrayList<>();
    for (Timed<ProxyListener.ExchangeRecord> t : s.exchanges()) {
      ProxyListener.ExchangeRecord r = t.record();
      rows.add(exchange(t.atMillis(), "request", r.clientAddress(), r.method(), TargetDisplay.of(r.target(), hidePaths),
          r.status(), r.requestBodyBytes(), r.responseBodyBytes(), r.durationNanos(), r.aborted(), r.client(),
          r.upstreamLeg(), r.removedFields(), r.verdict().role(), r.verdict().outcome().configName()));
    }
    for (Timed<ProxyListener.TunnelRecord> t : s.tunnels()) {
      ProxyListener.TunnelRecord r = t.record();
      rows.add(exchange(t.atMillis(), "tunnel", r.clientAddress(), "CONNECT", TargetDisplay.of(
          io.hopwise.http.Authority.forUri(r.host()) + ":" + r.port(), hidePaths), 200, r.bytesFromClient(),
          r.bytesToClient(), r.durationNanos(), r.aborted(), r.client(), r.upstreamLeg(), List.of(),
          r.verdict().role(), r.verdict().outcome().configName()));
    }
    rows.sort(Comparator.comparingLong((ObjectNode n) -> n.get("at").asLong()).reversed());
    // Newest first: the first exchange met for a connection is its last one, the one its close follows.
    Set<Long> clientsSeen = new HashSet<>();
    Set<Long> upstreamsSeen = new HashSet<>();
    ArrayNode exchanges = root.putArray("exchanges");
    for (ObjectNode row : rows) {
      JsonNode clientLeg = row.get("client");
      long clientId = clientLeg.get("connection").asLong();
      ObjectNode closes = row.putObject("closed");
      if (clientId != 0 && clientsSeen.add(clientId) && clientEnds.containsKey(clientId)) {
        closes.set("client", clientEnd(clientEnds.get(clientId).record()));
      }
      JsonNode up = row.get("upstream");
      if (up != null && !up.isNull()) {
        long upId = up.get("connection").asLong();
        if (upstreamsSeen.add(upId) && upstreamEnds.containsKey(upId)) {
          closes.set("upstream", upstreamEnd(upstreamEnds.get(upId).record()));
        }
      }
      if (filter.matches(row)) {
        exchanges.add(row);
      }
    }

    // The TIME_WAIT ledger: every closed connection kept, and who will hold its TIME_WAIT.
    ArrayNode ledger = root.putArray("closedConnections");
    List<ObjectNode> ends = new ArrayList<>();
    s.clientClosed().forEach(t -> ends.add(clientEnd(t.record()).put("at", t.atMillis())));
    s.upstreamClosed().forEach(t -> ends.add(upstreamEnd(t.record()).put("at", t.atMillis())));
    ends.sort(Comparator.comparingLong((ObjectNode n) -> n.get("at").asLong()).reversed());
    ends.forEach(ledger::add);
    return root;
  }

  private static ObjectNode open(OpenConnection c) {
    ObjectNode n = JSON.createObjectNode();
    n.put("leg", c.leg()).put("id", c.id()).put("local", c.local()).put("remote", c.remote())
        .put("ageMs", millis(c.ageNanos())).put("state", c.state()).put("exchanges", c.exchanges())
        .put("idleMs", millis(c.idleNanos()));
    if (c.origin() != null) {
      n.put("origin", c.origin());
    }
    if (!c.detail().isEmpty()) {
      n.put("detail", c.detail());
    }
    n.set("tcp", tcp(c.tcp()));
    return n;
  }

  private static ObjectNode exchange(long at, String kind, String clientAddress, String method, String target,
      int status, long bytesIn, long bytesOut, long durationNanos, boolean aborted, ClientLeg client,
      UpstreamLeg up, List<String> removed, String role, String decision) {
    ObjectNode n = JSON.createObjectNode();
    n.put("at", at).put("kind", kind).put("clientAddress", clientAddress).put("method", method)
        .put("target", target).put("status", status).put("bytesIn", bytesIn).put("bytesOut", bytesOut)
        .put("durationMs", millis(durationNanos)).put("aborted", aborted);
    ClientLeg c = client == null ? ClientLeg.NONE : client;
    n.putObject("client").put("connection", c.connection()).put("request", c.request()).put("new", c.isNew())
        .set("tcpAtLastByte", tcp(c.atLastByte()));
    if (up == null) {
      n.putNull("upstream");
    } else {
      ObjectNode u = n.putObject("upstream");
      u.put("connection", up.connection()).put("reused", up.reused()).put("idleMs", millis(up.idleNanos()))
          .put("dnsMs", millis(up.dnsNanos())).put("connectMs", millis(up.connectNanos()))
          .put("tlsMs", millis(up.tlsNanos())).put("waitMs", millis(up.waitNanos()))
          .put("transferMs", millis(up.transferNanos()));
      // Issue 27: the route that chose the way, and the parent proxy it went through (null: direct).
      u.put("route", up.route()).put("parent", up.parent());
      u.set("tcpAtConnect", tcp(up.atConnect()));
      u.set("tcpAtFirstByte", tcp(up.atFirstByte()));
      u.set("tcpAtLastByte", tcp(up.atLastByte()));
    }
    ArrayNode r = n.putArray("removed");
    removed.forEach(r::add);
    n.put("role", role).put("decision", decision);
    return n;
  }

  private static ObjectNode clientEnd(ProxyListener.ClientConnectionRecord r) {
    ObjectNode n = JSON.createObjectNode();
    n.put("leg", "client").put("connection", r.id()).put("remote", r.remote()).put("local", r.local())
        .put("exchanges", r.requests()).put("ageMs", millis(r.ageNanos()))
        .put("reason", r.reason().name().toLowerCase(Locale.ROOT).replace('_', '-'))
        .put("first", r.first() == io.hopwise.FirstToClose.PEER ? "client" : r.first().configName())
        .put("timeWaitHeldBy", timeWaitHolder(r.first(), "client"));
    n.set("tcpAtClose", tcp(r.atClose()));
    return n;
  }

  private static ObjectNode upstreamEnd(UpstreamConnectionRecord r) {
    ObjectNode n = JSON.createObjectNode();
    n.put("leg", "upstream").put("connection", r.id()).put("origin", r.origin().toString()).put("remote", r.remote())
        .put("local", r.local()).put("exchanges", r.exchanges()).put("ageMs", millis(r.ageNanos()))
        .put("reason", r.reason().name().toLowerCase(Locale.ROOT).replace('_', '-'))
        .put("first", r.first() == io.hopwise.FirstToClose.PEER ? "origin" : r.first().configName())
        .put("timeWaitHeldBy", timeWaitHolder(r.first(), "origin"));
    if (r.detail() != null) {
      n.put("detail", r.detail());
    }
    n.set("tcpAtClose", tcp(r.atClose()));
    return n;
  }

  /** RFC 9293 3.6: the side that closes first holds TIME_WAIT; a reset leaves none. */
  private static String timeWaitHolder(io.hopwise.FirstToClose first, String peer) {
    return switch (first) {
      case PEER -> peer;
      case PROXY -> "proxy";
      case RESET -> "none (reset)";
    };
  }

  private static JsonNode tcp(TcpInfo t) {
    if (t == null) {
      return JSON.nullNode();
    }
    ObjectNode n = JSON.createObjectNode();
    n.put("rttUs", t.rttMicros()).put("rttVarUs", t.rttVarMicros()).put("sndCwnd", t.sndCwnd())
        .put("sndSsthresh", t.sndSsthresh()).put("retransmits", t.retransmits())
        .put("totalRetrans", t.totalRetrans()).put("unacked", t.unacked())
        .put("pacingRateBytesPerSec", t.pacingRate()).put("deliveryRateBytesPerSec", t.deliveryRate())
        .put("bytesAcked", t.bytesAcked()).put("bytesReceived", t.bytesReceived());
    return n;
  }

  /** Milliseconds with microsecond precision; -1 stays -1 (the step did not happen). */
  private static double millis(long nanos) {
    return nanos < 0 ? -1 : Math.round(nanos / 1000.0) / 1000.0;
  }
}
