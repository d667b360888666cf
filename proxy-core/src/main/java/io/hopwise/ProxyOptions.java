package io.hopwise;

import io.hopwise.http.HeadLimits;
import io.hopwise.http.Origin;
import java.time.Duration;
import java.util.Objects;

/**
 * Everything that configures a proxy, with defaults in one place and validation in the setters
 * (in the style of Vert.x options objects). Mutable while building; the proxy copies it at start.
 */
public final class ProxyOptions {
  public static final String DEFAULT_HOST = "127.0.0.1";
  public static final int DEFAULT_PORT = 3128;
  public static final String DEFAULT_PSEUDONYM = "hopwise";
  public static final int DEFAULT_MAX_CONNECTIONS_PER_ORIGIN = 16;
  public static final int DEFAULT_MAX_WAIT_QUEUE = 256;
  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
  /**
   * Long enough for long polling (a blocking query may hold its answer for minutes: Consul's wait
   * is capped at 10 minutes plus jitter), as Squid's 15-minute read timeout is; a client's own
   * timeout usually ends a hung request first. 60 s turned long polls into 504s (issue 26).
   */
  public static final Duration DEFAULT_RESPONSE_TIMEOUT = Duration.ofMinutes(15);
  public static final Duration DEFAULT_POOL_IDLE_TIMEOUT = Duration.ofSeconds(30);
  public static final Duration DEFAULT_POOL_MAX_LIFETIME = Duration.ofMinutes(5);
  public static final Duration DEFAULT_LINGER_TIMEOUT = Duration.ofSeconds(2);
  public static final Duration DEFAULT_CLIENT_IDLE_TIMEOUT = Duration.ofSeconds(60);
  public static final Duration DEFAULT_HEAD_TIMEOUT = Duration.ofSeconds(10);
  /**
   * CONNECT to 443 (TLS) and 80: Node's undici ProxyAgent and NODE_USE_ENV_PROXY tunnel even
   * http:// URLs through CONNECT host:80 (issue 26), and a tunnel to 80 carries what the forwarding
   * path carries there anyway. Other ports would make us a relay for anything (RFC 9110 9.3.6);
   * the destination rules apply to tunnels as to requests.
   */
  public static final io.hopwise.policy.PortRanges DEFAULT_CONNECT_PORTS = io.hopwise.policy.PortRanges.of(80, 443);
  public static final Duration DEFAULT_TUNNEL_IDLE_TIMEOUT = Duration.ofMinutes(5);

  /** How client connections are served; chosen once per proxy. Written {@code smart} or {@code dumb}. */
  public enum Mode {
    /** Strict HTTP/1.1 with the hop-by-hop rules and a persistent upstream pool. */
    SMART,
    /** An old proxy that does not understand Connection: relays the first request's bytes
     * unchanged on a new connection and waits for the upstream to close. For comparison only. */
    DUMB;

    /** Parses {@code smart} or {@code dumb}, as written in the config and on the command line. */
    public static Mode parse(String s) {
      for (Mode m : values()) {
        if (m.toString().equals(s)) {
          return m;
        }
      }
      throw new IllegalArgumentException("expected smart or dumb, got '" + s + "'");
    }

    @Override
    public String toString() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /** The defaults, for whoever needs a default value (the config binding takes every default from here). */
  public static final ProxyOptions DEFAULTS = new ProxyOptions();

  private Mode mode = Mode.SMART;
  private String host = DEFAULT_HOST;
  private int port = DEFAULT_PORT;
  private String pseudonym = DEFAULT_PSEUDONYM;
  private io.hopwise.http.Via via;
  private HeadLimits headLimits = HeadLimits.DEFAULT;
  private Origin defaultUpstream;
  private int maxConnectionsPerOrigin = DEFAULT_MAX_CONNECTIONS_PER_ORIGIN;
  private int maxWaitQueue = DEFAULT_MAX_WAIT_QUEUE;
  private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
  private Duration responseTimeout = DEFAULT_RESPONSE_TIMEOUT;
  private Duration poolIdleTimeout = DEFAULT_POOL_IDLE_TIMEOUT;
  private Duration poolMaxLifetime = DEFAULT_POOL_MAX_LIFETIME;
  private Duration lingerTimeout = DEFAULT_LINGER_TIMEOUT;
  private Duration clientIdleTimeout = DEFAULT_CLIENT_IDLE_TIMEOUT;
  private int eventLoops = Runtime.getRuntime().availableProcessors();
  private String upstreamCaFile;
  private Duration headTimeout = DEFAULT_HEAD_TIMEOUT;
  private int upstreamPipelining = 1;
  private boolean allowWebSocket;
  private java.util.List<String> denyCidrs = java.util.List.of();
  private java.util.List<String> allowCidrs = java.util.List.of();
  private java.util.List<String> denyHosts = java.util.List.of();
  private java.util.List<String> allowHosts = java.util.List.of();
  private io.hopwise.policy.PortRanges destinationPorts = io.hopwise.policy.PortRanges.NONE;
  private java.util.List<String> clientCidrs = io.hopwise.policy.ClientAccess.DEFAULT_ALLOW;
  private boolean refuseClientsByClosing;
  private io.hopwise.policy.BasicAuth auth;
  private String authRealm = "hopwise";
  private boolean allowTrace;
  private int maxClientConnections = 10_000;
  private int maxConnectionsPerClient;
  private long maxRequestBodyBytes;
  private io.hopwise.policy.ForwardedHeaders forwarded =
      io.hopwise.policy.ForwardedHeaders.of(io.hopwise.policy.ForwardedHeaders.Mode.OFF, java.util.List.of());
  private io.hopwise.policy.PortRanges connectPorts = DEFAULT_CONNECT_PORTS;
  private Duration tunnelIdleTimeout = DEFAULT_TUNNEL_IDLE_TIMEOUT;
  private boolean honorHttp10KeepAlive;

  public ProxyOptions() {}

  /**
   * A copy of {@code other}, every field of it: by reflection over this class's own fields, so that
   * a field added later cannot be left out of the copy (the hand-written copy could forget one,
   * silently).
   */
  public ProxyOptions(ProxyOptions other) {
    for (java.lang.reflect.Field f : ProxyOptions.class.getDeclaredFields()) {
      if (!java.lang.reflect.Modifier.isStatic(f.getModifiers())) {
        try {
          f.set(this, f.get(other));
        } catch (IllegalAccessException e) {
          throw new IllegalStateException("cannot copy ProxyOptions." + f.getName(), e);
        }
      }
    }
  }

  /**
   * Requests in flight per upstream connection (RFC 9112 9.3.2). 1, the default, is no
   * pipelining. Above 1, a bodiless idempotent request may be written on a busy connection when the
   * origin is at its connection limit. Off by default: many servers and middleboxes get it wrong.
   */
  public int upstreamPipelining() { return upstreamPipelining; }

  public ProxyOptions setUpstreamPipelining(int n) {
    this.upstreamPipelining = positive("upstreamPipelining", n);
    return this;
  }

  /**
   * Pass WebSocket upgrades through the forwarding path (sidecar use): on the origin's 101 both
   * connections are joined. Off by default: Upgrade is hop-by-hop and stripped.
   */
  public boolean allowWebSocket() { return allowWebSocket; }

  public ProxyOptions setAllowWebSocket(boolean allow) {
    this.allowWebSocket = allow;
    return this;
  }

  /**
   * Where the proxy may connect (issue 5): CIDRs and host patterns ({@code example.com},
   * {@code *.example.com}) to deny or allow on top of the defaults (link-local and cloud metadata
   * denied), and optionally the only destination ports allowed. Checked by name and again on the
   * resolved address, for forwarding and CONNECT alike.
   */
  public io.hopwise.policy.DestinationPolicy.Builder destinationPolicy() {
    var b = io.hopwise.policy.DestinationPolicy.builder()
        .denyCidrs(denyCidrs).allowCidrs(allowCidrs).denyHosts(denyHosts).allowHosts(allowHosts);
    if (!destinationPorts.isEmpty()) {
      b.allowedPorts(destinationPorts);
    }
    return b;
  }

  public ProxyOptions setDestinations(java.util.List<String> denyCidrs, java.util.List<String> allowCidrs,
      java.util.List<String> denyHosts, java.util.List<String> allowHosts, java.util.Collection<?> ports) {
    this.denyCidrs = java.util.List.copyOf(denyCidrs);
    this.allowCidrs = java.util.List.copyOf(allowCidrs);
    this.denyHosts = java.util.List.copyOf(denyHosts);
    this.allowHosts = java.util.List.copyOf(allowHosts);
    this.destinationPorts = io.hopwise.policy.PortRanges.of(ports);
    destinationPolicy().build(); // validates the lists now, not at the first connection
    return this;
  }

  /** Client addresses allowed to use the proxy (default loopback only). */
  public io.hopwise.policy.ClientAccess clientAccess() {
    return io.hopwise.policy.ClientAccess.of(clientCidrs);
  }

  /** Others are refused with 403, or, with {@code refuseByClosing}, their connection is closed. */
  public boolean refuseClientsByClosing() { return refuseClientsByClosing; }

  public ProxyOptions setClientAccess(java.util.List<String> cidrs, boolean refuseByClosing) {
    io.hopwise.policy.ClientAccess.of(cidrs); // validates
    this.clientCidrs = java.util.List.copyOf(cidrs);
    this.refuseClientsByClosing = refuseByClosing;
    return this;
  }

  /** Basic proxy authentication (RFC 9110 11.7, RFC 7617); null means none. */
  public io.hopwise.policy.BasicAuth auth() { return auth; }

  public String authRealm() { return authRealm; }

  public ProxyOptions setAuth(io.hopwise.policy.BasicAuth auth, String realm) {
    io.hopwise.policy.BasicAuth.challenge(realm); // validates the realm
    this.auth = auth;
    this.authRealm = realm;
    return this;
  }

  /** Concurrent client connections in all (0 = unlimited); more are refused with 503. */
  public int maxClientConnections() { return maxClientConnections; }

  /** Concurrent connections from one client address (0 = unlimited). */
  public int maxConnectionsPerClient() { return maxConnectionsPerClient; }

  public ProxyOptions setConnectionLimits(int total, int perClient) {
    if (total < 0 || perClient < 0) {
      throw new IllegalArgumentException("connection limits must be >= 0 (0 = unlimited)");
    }
    this.maxClientConnections = total;
    this.maxConnectionsPerClient = perClient;
    return this;
  }

  /** Largest request body accepted (0 = unlimited); larger ones get 413. */
  public long maxRequestBodyBytes() { return maxRequestBodyBytes; }

  public ProxyOptions setMaxRequestBodyBytes(long n) {
    if (n < 0) {
      throw new IllegalArgumentException("maxRequestBodyBytes must be >= 0 (0 = unlimited), got " + n);
    }
    this.maxRequestBodyBytes = n;
    return this;
  }

  /** TRACE is refused (405) unless allowed: it echoes requests, credentials included. */
  public boolean allowTrace() { return allowTrace; }

  public ProxyOptions setAllowTrace(boolean allow) {
    this.allowTrace = allow;
    return this;
  }

  /** X-Forwarded-For / Forwarded handling (off by default). */
  public io.hopwise.policy.ForwardedHeaders forwarded() { return forwarded; }

  public ProxyOptions setForwarded(io.hopwise.policy.ForwardedHeaders forwarded) {
    this.forwarded = Objects.requireNonNull(forwarded);
    return this;
  }

  /** Ports CONNECT may reach; others get 403. */
  public io.hopwise.policy.PortRanges connectPorts() { return connectPorts; }

  /** Each item a port (an integer) or a range ({@code "1024-65535"}). */
  public ProxyOptions setConnectPorts(java.util.Collection<?> ports) {
    this.connectPorts = io.hopwise.policy.PortRanges.of(ports);
    return this;
  }

  /** A tunnel with no bytes in either direction for this long is closed. */
  public Duration tunnelIdleTimeout() { return tunnelIdleTimeout; }

  public ProxyOptions setTunnelIdleTimeout(Duration d) {
    this.tunnelIdleTimeout = positive("tunnelIdleTimeout", d);
    return this;
  }

  /** From the first byte of a request head to its end; slower clients get 408 (slowloris). */
  public Duration headTimeout() { return headTimeout; }

  public ProxyOptions setHeadTimeout(Duration d) {
    this.headTimeout = positive("headTimeout", d);
    return this;
  }

  /**
   * Keep an HTTP/1.0 client's connection when it asks with {@code Connection: keep-alive}. Off by
   * default: RFC 9112 9.3 warns that a dumb proxy in front of us may have forwarded that header.
   */
  public boolean honorHttp10KeepAlive() { return honorHttp10KeepAlive; }

  public ProxyOptions setHonorHttp10KeepAlive(boolean honor) {
    this.honorHttp10KeepAlive = honor;
    return this;
  }

  public Mode mode() { return mode; }

  public ProxyOptions setMode(Mode mode) {
    this.mode = Objects.requireNonNull(mode, "mode");
    return this;
  }

  public String host() { return host; }
  public int port() { return port; }
  public String pseudonym() { return pseudonym; }

  /** Our Via entries for {@link #pseudonym}, built once (not per message). */
  public io.hopwise.http.Via via() {
    io.hopwise.http.Via v = via;
    if (v == null || !v.pseudonym().equals(pseudonym)) {
      v = io.hopwise.http.Via.of(pseudonym);
      via = v; // immutable: a racy publication is safe
    }
    return v;
  }
  public HeadLimits headLimits() { return headLimits; }
  /** Where origin-form requests go (sidecar use); null refuses them with 400. */
  public Origin defaultUpstream() { return defaultUpstream; }
  public int maxConnectionsPerOrigin() { return maxConnectionsPerOrigin; }
  public int maxWaitQueue() { return maxWaitQueue; }
  public Duration connectTimeout() { return connectTimeout; }
  /** How long we wait for the upstream's response head before answering 504. */
  public Duration responseTimeout() { return responseTimeout; }
  public Duration poolIdleTimeout() { return poolIdleTimeout; }
  public Duration poolMaxLifetime() { return poolMaxLifetime; }
  /** How long a closing connection keeps draining input after our last byte (graceful close). */
  public Duration lingerTimeout() { return lingerTimeout; }
  public Duration clientIdleTimeout() { return clientIdleTimeout; }
  /** Event loops (each with its own upstream pool); defaults to the number of cores. */
  public int eventLoops() { return eventLoops; }

  /**
   * Certificates (PEM) to trust for TLS to origins instead of the JDK's trust store, for an
   * internal CA; null (the default) uses the JDK's trust store.
   */
  public String upstreamCaFile() { return upstreamCaFile; }

  public ProxyOptions setUpstreamCaFile(String pemPath) {
    if (pemPath != null && !java.nio.file.Files.isReadable(java.nio.file.Path.of(pemPath))) {
      throw new IllegalArgumentException("upstream CA file is not readable: " + pemPath);
    }
    this.upstreamCaFile = pemPath;
    return this;
  }

  public ProxyOptions setHost(String host) {
    this.host = Objects.requireNonNull(host, "host");
    return this;
  }

  public ProxyOptions setPort(int port) {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port must be 0-65535, got " + port);
    }
    this.port = port;
    return this;
  }

  public ProxyOptions setPseudonym(String pseudonym) {
    if (pseudonym == null || !pseudonym.matches("[A-Za-z0-9._~!$&'*+^`|-]+")) {
      throw new IllegalArgumentException("pseudonym must be a token (letters, digits, . _ - ...), got " + pseudonym);
    }
    this.pseudonym = pseudonym;
    return this;
  }

  public ProxyOptions setHeadLimits(HeadLimits headLimits) {
    this.headLimits = Objects.requireNonNull(headLimits, "headLimits");
    return this;
  }

  public ProxyOptions setDefaultUpstream(Origin defaultUpstream) {
    this.defaultUpstream = defaultUpstream;
    return this;
  }

  public ProxyOptions setMaxConnectionsPerOrigin(int n) {
    this.maxConnectionsPerOrigin = positive("maxConnectionsPerOrigin", n);
    return this;
  }

  public ProxyOptions setMaxWaitQueue(int n) {
    if (n < 0) {
      throw new IllegalArgumentException("maxWaitQueue must be >= 0, got " + n);
    }
    this.maxWaitQueue = n;
    return this;
  }

  public ProxyOptions setConnectTimeout(Duration d) {
    this.connectTimeout = positive("connectTimeout", d);
    return this;
  }

  public ProxyOptions setResponseTimeout(Duration d) {
    this.responseTimeout = positive("responseTimeout", d);
    return this;
  }

  public ProxyOptions setPoolIdleTimeout(Duration d) {
    this.poolIdleTimeout = positive("poolIdleTimeout", d);
    return this;
  }

  public ProxyOptions setPoolMaxLifetime(Duration d) {
    this.poolMaxLifetime = positive("poolMaxLifetime", d);
    return this;
  }

  public ProxyOptions setLingerTimeout(Duration d) {
    this.lingerTimeout = positive("lingerTimeout", d);
    return this;
  }

  public ProxyOptions setClientIdleTimeout(Duration d) {
    this.clientIdleTimeout = positive("clientIdleTimeout", d);
    return this;
  }

  public ProxyOptions setEventLoops(int n) {
    this.eventLoops = positive("eventLoops", n);
    return this;
  }

  private static int positive(String name, int n) {
    if (n < 1) {
      throw new IllegalArgumentException(name + " must be >= 1, got " + n);
    }
    return n;
  }

  private static Duration positive(String name, Duration d) {
    if (d == null || d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(name + " must be a positive duration, got " + d);
    }
    return d;
  }
}
