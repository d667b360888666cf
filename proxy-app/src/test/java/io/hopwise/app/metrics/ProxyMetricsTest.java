package io.hopwise.app.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.hopwise.PoolStats;
import io.hopwise.ProxyListener.ClientCloseReason;
import io.hopwise.ProxyListener.ClientConnectionRecord;
import io.hopwise.ProxyListener.Direction;
import io.hopwise.ProxyListener;
import io.hopwise.ProxyListener.ExchangeRecord;
import io.hopwise.http.HopByHop;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The cached counters land on the same labelled series the registry would build itself. */
class ProxyMetricsTest {
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final ProxyMetrics metrics = new ProxyMetrics(registry, "smart", () -> new PoolStats(0, 0, 0, 0));

  private static ExchangeRecord exchange(String method, int status, boolean aborted) {
    return new ExchangeRecord("127.0.0.1", method, "http://h/", status, 0, 0, 1_000_000, ProxyListener.UpstreamUse.NEW, aborted, List.of(), null,
        io.hopwise.policy.RoleVerdict.NONE, io.hopwise.ClientLeg.NONE, null);
  }

  private double requests(String method, String statusClass) {
    var c = registry.find(ProxyMetrics.REQUESTS).tag("method", method).tag("status_class", statusClass)
        .tag("mode", "smart").counter();
    return c == null ? 0 : c.count();
  }

  private double removed(String direction, String field) {
    var c = registry.find(ProxyMetrics.FIELDS_REMOVED).tag("direction", direction).tag("field", field).counter();
    return c == null ? 0 : c.count();
  }

  @Test
  void requestsCountedByMethodClassAndStatusClass() {
    metrics.requestCompleted(exchange("GET", 200, false));
    metrics.requestCompleted(exchange("GET", 204, false));
    metrics.requestCompleted(exchange("PROPFIND", 404, false));
    metrics.requestCompleted(exchange("BREW", 418, false));
    metrics.requestCompleted(exchange("POST", 502, false));
    metrics.requestCompleted(exchange("GET", 200, true));
    metrics.requestCompleted(exchange("GET", 700, false));
    assertEquals(2, requests("GET", "2xx"));
    assertEquals(2, requests("other", "4xx"));
    assertEquals(1, requests("POST", "5xx"));
    assertEquals(2, requests("GET", "none"), "aborted, and a status outside 100-599");
    assertEquals(7, registry.find(ProxyMetrics.REQUEST_DURATION).timer().count());
  }

  @Test
  void everyNamedMethodHasItsOwnSeriesAndOthersShareOne() {
    List<String> named = List.of("GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS", "PATCH", "CONNECT", "TRACE");
    for (int i = 0; i < named.size(); i++) {
      for (int n = 0; n <= i; n++) {
        metrics.requestCompleted(exchange(named.get(i), 200, false));
      }
    }
    metrics.requestCompleted(exchange("get", 200, false)); // methods are case-sensitive (RFC 9110 9.1)
    metrics.requestCompleted(exchange("MKCOL", 200, false));
    for (int i = 0; i < named.size(); i++) {
      assertEquals(i + 1, requests(named.get(i), "2xx"), named.get(i));
    }
    assertEquals(2, requests("other", "2xx"));
  }

  @Test
  void clientClosesCountedByReason() {
    for (ClientCloseReason reason : ClientCloseReason.values()) {
      for (int n = 0; n <= reason.ordinal(); n++) {
        metrics.clientConnectionClosed(new ClientConnectionRecord(1, "a", "b", 0, reason, io.hopwise.FirstToClose.PROXY, 0, null));
      }
    }
    for (ClientCloseReason reason : ClientCloseReason.values()) {
      var c = registry.find(ProxyMetrics.CLIENT_CLOSED).tag("reason", reason.name().toLowerCase(java.util.Locale.ROOT))
          .counter();
      assertEquals(reason.ordinal() + 1, c == null ? 0 : c.count(), reason.name());
    }
  }

  // Issue 24: the reuse ratio, and closes by who closed first (the side that holds TIME_WAIT).
  @Test
  void exchangesCountedByUpstreamConnectionNewOrReusedAndClosesByWhoClosedFirst() {
    for (ProxyListener.UpstreamUse use : List.of(ProxyListener.UpstreamUse.NEW, ProxyListener.UpstreamUse.REUSED,
        ProxyListener.UpstreamUse.REUSED, ProxyListener.UpstreamUse.NONE)) {
      metrics.requestCompleted(new ExchangeRecord("127.0.0.1", "GET", "http://h/", 200, 0, 0, 1, use, false, List.of(),
          null, io.hopwise.policy.RoleVerdict.NONE, io.hopwise.ClientLeg.NONE, null));
    }
    assertEquals(1.0, registry.get(ProxyMetrics.UPSTREAM_EXCHANGES).tag("connection", "new").counter().count());
    assertEquals(2.0, registry.get(ProxyMetrics.UPSTREAM_EXCHANGES).tag("connection", "reused").counter().count());
    metrics.upstreamConnectionClosed(new io.hopwise.UpstreamConnectionRecord(1, new io.hopwise.http.Origin("http", "h", 80),
        "a", "b", 3, 1, ProxyListener.CloseReason.IDLE_TIMEOUT, null, io.hopwise.FirstToClose.PROXY, null));
    metrics.clientConnectionClosed(new ClientConnectionRecord(1, "a", "b", 1, ClientCloseReason.CLIENT_CLOSED,
        io.hopwise.FirstToClose.PEER, 1, null));
    assertEquals(1.0, registry.get(ProxyMetrics.UPSTREAM_CLOSED).tag("reason", "idle_timeout").tag("first", "proxy")
        .counter().count());
    assertEquals(1.0, registry.get(ProxyMetrics.CLIENT_CLOSED).tag("reason", "client_closed").tag("first", "peer")
        .counter().count());
  }

  @Test
  void removedFieldsLabelledByFixedNameOrOther() {
    metrics.fieldsRemoved(Direction.REQUEST, List.of(
        new HopByHop.Removed("CONNECTION", HopByHop.Reason.ALWAYS_HOP_BY_HOP),
        new HopByHop.Removed("connection", HopByHop.Reason.ALWAYS_HOP_BY_HOP),
        new HopByHop.Removed("X-Secret-Name", HopByHop.Reason.NAMED_IN_CONNECTION)));
    metrics.fieldsRemoved(Direction.RESPONSE, List.of(
        new HopByHop.Removed("Keep-Alive", HopByHop.Reason.ALWAYS_HOP_BY_HOP),
        new HopByHop.Removed("X-Other", HopByHop.Reason.NAMED_IN_CONNECTION)));
    assertEquals(2, removed("request", "connection"));
    assertEquals(1, removed("request", "other"));
    assertEquals(1, removed("response", "keep-alive"));
    assertEquals(1, removed("response", "other"));
    assertEquals(0, removed("response", "connection"));
  }
}
