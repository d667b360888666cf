package io.hopwise.app.metrics;

import io.hopwise.PoolStats;
import io.hopwise.FirstToClose;
import io.hopwise.ProxyListener;
import io.hopwise.UpstreamConnectionRecord;
import io.hopwise.http.HopByHop;
import io.hopwise.http.Origin;
import io.hopwise.policy.RoleVerdict;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Every meter the proxy exports, defined here and nowhere else. Names follow Prometheus
 * conventions once rendered (base units, {@code _total} for counters, {@code _seconds}).
 * Label values are bounded: method classes, status classes, the fixed hop-by-hop list plus
 * "other", close reasons. Never URLs, hosts or client addresses.
 */
public final class ProxyMetrics implements ProxyListener {
  static final String REQUESTS = "hopwise.requests";
  static final String REQUEST_DURATION = "hopwise.request.duration";
  static final String REJECTED = "hopwise.requests.rejected";
  static final String RETRIES = "hopwise.retries";
  static final String AUTH_FAILURES = "hopwise.auth.failures";
  static final String UPSTREAM_OPENED = "hopwise.upstream.connections.opened";
  static final String UPSTREAM_CLOSED = "hopwise.upstream.connections.closed";
  static final String UPSTREAM_REUSED = "hopwise.upstream.connections.reused";
  static final String UPSTREAM_CONNECTIONS = "hopwise.upstream.connections";
  static final String UPSTREAM_WAITING = "hopwise.upstream.requests.waiting";
  static final String CLIENT_ACCEPTED = "hopwise.client.connections.accepted";
  static final String CLIENT_CLOSED = "hopwise.client.connections.closed";
  static final String CLIENT_OPEN = "hopwise.client.connections.open";
  static final String FIELDS_REMOVED = "hopwise.hop.by.hop.fields.removed";
  static final String TUNNELS_ACTIVE = "hopwise.tunnels.active";
  static final String TUNNELS = "hopwise.tunnels";
  static final String TUNNEL_BYTES = "hopwise.tunnel.bytes";
  static final String POLICY_DENIALS = "hopwise.policy.denials";
  static final String UPSTREAM_EXCHANGES = "hopwise.upstream.exchanges";

  private static final List<String> METHODS = List.of("GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS",
      "PATCH", "CONNECT", "TRACE");
  private static final Map<String, Integer> METHOD_INDEX = indexes(METHODS);
  private static final List<String> STATUS_CLASSES = List.of("none", "1xx", "2xx", "3xx", "4xx", "5xx");

  /*
   * Counters met on every request, looked up once and kept: building a meter id (tags merged and
   * sorted) and finding it in the registry cost more than the increment. Indexes are bounded by
   * the label values, so these tables cannot grow. Racing threads may both register a counter;
   * the registry hands both the same one.
   */
  private final Counter[] requestCounters = new Counter[(METHODS.size() + 1) * STATUS_CLASSES.size()];
  private final Counter[] clientClosedCounters = new Counter[ClientCloseReason.values().length * FirstToClose.values().length];
  private final Counter[] upstreamClosedCounters = new Counter[CloseReason.values().length * FirstToClose.values().length];
  /** Exchanges by their upstream connection, new or reused (issue 24: the reuse ratio). */
  private final Counter[] upstreamExchanges = new Counter[ProxyListener.UpstreamUse.values().length];
  private final Map<String, Counter> removedRequestFields = new ConcurrentHashMap<>();
  private final Map<String, Counter> removedResponseFields = new ConcurrentHashMap<>();
  private final Map<String, Counter> denials = new ConcurrentHashMap<>();

  private final MeterRegistry registry;
  private final DestinationMetrics destinations;
  private final String mode;
  private final Timer duration;
  private final Counter retries;
  private final Counter upstreamOpened;
  private final Counter upstreamReused;
  private final Counter clientAccepted;
  private final Counter tunnels;
  private final Counter tunnelBytesFromClient;
  private final Counter tunnelBytesToClient;
  private final AtomicInteger tunnelsActive = new AtomicInteger();

  public ProxyMetrics(MeterRegistry registry, String mode, Supplier<PoolStats> stats) {
    this(registry, mode, stats, null);
  }

  /**
   * @param destinations the per-destination series, or null for none. Called from here rather
   *     than as a listener of its own: one listener is called directly, two through a fan-out.
   */
  public ProxyMetrics(MeterRegistry registry, String mode, Supplier<PoolStats> stats, DestinationMetrics destinations) {
    this.destinations = destinations;
    this.registry = registry;
    this.mode = mode;
    this.duration = Timer.builder(REQUEST_DURATION).description("Time from request head to response end")
        .tag("mode", mode)
        .serviceLevelObjectives(ms(5), ms(10), ms(25), ms(50), ms(100), ms(250), ms(500), ms(1000),
            ms(2500), ms(5000), ms(10000))
        .register(registry);
    this.retries = Counter.builder(RETRIES).description("Requests sent again after a stale pooled connection failed")
        .register(registry);
    this.upstreamOpened = Counter.builder(UPSTREAM_OPENED).description("Upstream connections opened")
        .register(registry);
    this.upstreamReused = Counter.builder(UPSTREAM_REUSED).description("Exchanges given a connection that was already open")
        .register(registry);
    this.clientAccepted = Counter.builder(CLIENT_ACCEPTED).description("Client connections accepted")
        .register(registry);
    for (ProxyListener.UpstreamUse u : List.of(ProxyListener.UpstreamUse.NEW, ProxyListener.UpstreamUse.REUSED)) {
      upstreamExchanges[u.ordinal()] = Counter.builder(UPSTREAM_EXCHANGES)
          .description("Exchanges served by an upstream connection, new or reused (reuse ratio: reused over both)")
          .tag("connection", u.name().toLowerCase(Locale.ROOT)).register(registry);
    }
    this.tunnels = Counter.builder(TUNNELS).description("CONNECT tunnels established").register(registry);
    String bytesHelp = "Bytes relayed through CONNECT tunnels, by direction";
    this.tunnelBytesFromClient = Counter.builder(TUNNEL_BYTES).baseUnit("bytes").description(bytesHelp)
        .tag("direction", "from_client").register(registry);
    this.tunnelBytesToClient = Counter.builder(TUNNEL_BYTES).baseUnit("bytes").description(bytesHelp)
        .tag("direction", "to_client").register(registry);
    Gauge.builder(TUNNELS_ACTIVE, tunnelsActive, AtomicInteger::get).description("CONNECT tunnels open")
        .register(registry);
    String poolHelp = "Upstream connections open, by state (sampled every second)";
    Gauge.builder(UPSTREAM_CONNECTIONS, () -> stats.get().upstreamInUse()).description(poolHelp)
        .tag("state", "in_use").register(registry);
    Gauge.builder(UPSTREAM_CONNECTIONS, () -> stats.get().upstreamIdle()).description(poolHelp)
        .tag("state", "idle").register(registry);
    Gauge.builder(UPSTREAM_WAITING, () -> stats.get().upstreamWaiting())
        .description("Requests waiting for an upstream connection (sampled every second)").register(registry);
    Gauge.builder(CLIENT_OPEN, () -> stats.get().clientOpen())
        .description("Client connections open (sampled every second)").register(registry);
  }

  private static Map<String, Integer> indexes(List<String> values) {
    Map<String, Integer> m = new java.util.HashMap<>();
    for (int i = 0; i < values.size(); i++) {
      m.put(values.get(i), i);
    }
    return Map.copyOf(m);
  }

  private static Duration ms(long n) {
    return Duration.ofMillis(n);
  }

  static String methodClass(String method) {
    return METHODS.contains(method) ? method : "other";
  }

  static String statusClass(int status) {
    return STATUS_CLASSES.get(statusIndex(status));
  }

  /** Index in METHODS, or METHODS.size() for any other method: a hash lookup, not a list search. */
  static int methodIndex(String method) {
    return METHOD_INDEX.getOrDefault(method, METHODS.size());
  }

  private static int statusIndex(int status) {
    return status < 100 || status > 599 ? 0 : status / 100;
  }

  /** The fixed hop-by-hop names are the only field names that become label values. */
  static String fieldLabel(String name) {
    String fixed = HopByHop.fixedName(name);
    return fixed != null ? fixed : "other";
  }

  @Override
  public void requestCompleted(ExchangeRecord r) {
    int method = methodIndex(r.method());
    int status = statusIndex(r.aborted() ? 0 : r.status());
    int slot = method * STATUS_CLASSES.size() + status;
    Counter c = requestCounters[slot];
    if (c == null) {
      c = Counter.builder(REQUESTS).description("Requests handled, by method, status class and mode")
          .tag("method", method < METHODS.size() ? METHODS.get(method) : "other")
          .tag("status_class", STATUS_CLASSES.get(status)).tag("mode", mode).register(registry);
      requestCounters[slot] = c;
    }
    c.increment();
    duration.record(r.durationNanos(), TimeUnit.NANOSECONDS);
    denial(r.verdict());
    Counter use = upstreamExchanges[r.upstream().ordinal()];
    if (use != null) {
      use.increment();
    }
    if (destinations != null) {
      destinations.requestCompleted(r);
    }
  }

  @Override
  public void requestRefused(ExchangeRecord r) {
    denial(r.verdict());
  }

  /**
   * Denials and report-denials by role (issue 26). Roles come from the config, so the series are
   * bounded; the rule is not a tag, since a global rule's text names the destination.
   */
  private void denial(RoleVerdict v) {
    if (v.outcome() == RoleVerdict.Outcome.ALLOW) { // NONE's outcome is ALLOW too
      return;
    }
    denials.computeIfAbsent(v.role() + " " + v.outcome(), k -> Counter.builder(POLICY_DENIALS)
        .description("Requests and tunnels a role's rules or the access rules denied (deny) or would have (report-deny)")
        .tag("role", v.role()).tag("decision", v.outcome().configName()).register(registry)).increment();
  }

  @Override
  public void requestRejected(int status, String reason) {
    Counter.builder(REJECTED).description("Requests refused by the proxy itself, by status")
        .tag("status", Integer.toString(status)).register(registry).increment();
  }

  @Override
  public void authenticationFailed(String reason) {
    Counter.builder(AUTH_FAILURES).description("Proxy authentication failures, by reason")
        .tag("reason", reason).register(registry).increment();
  }

  @Override
  public void requestRetried(Origin origin) {
    retries.increment();
  }

  @Override
  public void upstreamConnectionOpened(Origin origin) {
    upstreamOpened.increment();
  }

  @Override
  public void upstreamConnectionReused(Origin origin) {
    upstreamReused.increment();
  }

  /**
   * By reason and by who closed first (issue 24): {@code first="proxy"} is a close that leaves
   * this proxy's port in TIME_WAIT, {@code peer} the origin's (or client's), {@code reset} none.
   */
  @Override
  public void upstreamConnectionClosed(UpstreamConnectionRecord record) {
    closed(upstreamClosedCounters, UPSTREAM_CLOSED, "Upstream", record.reason(), record.first()).increment();
  }

  /**
   * The closed-connections counter of {@code reason} and {@code first}, made on first use and
   * kept in {@code table} (one slot per pair: bounded by the two enums).
   */
  private Counter closed(Counter[] table, String name, String which, Enum<?> reason, FirstToClose first) {
    int slot = reason.ordinal() * FirstToClose.values().length + first.ordinal();
    Counter c = table[slot];
    if (c == null) {
      c = Counter.builder(name).description(which + " connections closed, by reason and by who closed first")
          .tag("reason", reason.name().toLowerCase(Locale.ROOT)).tag("first", first.configName()).register(registry);
      table[slot] = c;
    }
    return c;
  }

  @Override
  public void clientConnectionOpened() {
    clientAccepted.increment();
  }

  @Override
  public void clientConnectionClosed(ClientConnectionRecord record) {
    // Once per connection, which is once per request for clients that do not keep connections.
    closed(clientClosedCounters, CLIENT_CLOSED, "Client", record.reason(), record.first()).increment();
  }

  @Override
  public void fieldsRemoved(Direction direction, List<HopByHop.Removed> removed) {
    Map<String, Counter> counters = direction == Direction.REQUEST ? removedRequestFields : removedResponseFields;
    for (int i = 0; i < removed.size(); i++) {
      String label = fieldLabel(removed.get(i).name());
      Counter c = counters.get(label);
      if (c == null) {
        c = Counter.builder(FIELDS_REMOVED).description("Hop-by-hop header fields removed").tag("field", label)
            .tag("direction", direction.name().toLowerCase(Locale.ROOT)).register(registry);
        counters.put(label, c);
      }
      c.increment();
    }
  }

  @Override
  public void tunnelOpened(String host, int port) {
    tunnels.increment();
    tunnelsActive.incrementAndGet();
  }

  @Override
  public void tunnelClosed(TunnelRecord record) {
    denial(record.verdict());
    if (destinations != null) {
      destinations.tunnelClosed(record);
    }
    tunnelsActive.decrementAndGet();
    tunnelBytesFromClient.increment(record.bytesFromClient());
    tunnelBytesToClient.increment(record.bytesToClient());
  }
}
