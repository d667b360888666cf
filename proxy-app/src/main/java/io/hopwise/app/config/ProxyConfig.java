package io.hopwise.app.config;

import static java.util.Objects.requireNonNullElse;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.hopwise.ProxyOptions;
import io.hopwise.ProxyOptions.Mode;
import io.hopwise.http.HeadLimits;
import io.hopwise.io.TransportChoice;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The whole configuration file ({@code conf/proxy.yaml}), immutable. Every key is optional; the
 * defaults are those of {@link ProxyOptions}. Range checks are not repeated here: they live in the
 * {@code ProxyOptions} setters and surface through {@link #toProxyOptions()}.
 *
 * @param eventLoops event loops to run on; 0 means one per core
 * @param transport the socket transport: auto (epoll, else NIO; io_uring only by name) or one by name
 */
public record ProxyConfig(
    HostPort listen,
    HostPort admin,
    Mode mode,
    String pseudonym,
    int eventLoops,
    LimitsConfig limits,
    UpstreamConfig upstream,
    ClientConfig client,
    ConnectConfig connect,
    AccessLogFormat accessLog,
    ShutdownConfig shutdown,
    AccessConfig access,
    SecurityConfig security,
    TransportChoice.Kind transport) {
  /** {@code accessLog:} one line per request and tunnel, to stdout. */
  public enum AccessLogFormat { JSON, SQUID, OFF }

  public static final HostPort DEFAULT_LISTEN =
      new HostPort(ProxyOptions.DEFAULT_HOST, ProxyOptions.DEFAULT_PORT);
  public static final HostPort DEFAULT_ADMIN = new HostPort("127.0.0.1", 9901);
  /**
   * "hopwise-" and this host's name (a pod's name in Kubernetes), so that two proxies in a chain
   * tell themselves apart in Via and loop detection works between them (http-rules D2).
   */
  public static final String DEFAULT_PSEUDONYM = hostPseudonym();

  static String hostPseudonym() {
    String host = System.getenv("HOSTNAME");
    if (host == null || host.isBlank()) {
      try {
        host = java.nio.file.Files.readString(java.nio.file.Path.of("/etc/hostname")).strip();
      } catch (java.io.IOException | RuntimeException e) {
        host = "";
      }
    }
    String token = host.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9.-]", "");
    int dot = token.indexOf('.');
    token = dot > 0 ? token.substring(0, dot) : token;
    return token.isEmpty() ? ProxyOptions.DEFAULT_PSEUDONYM : ProxyOptions.DEFAULT_PSEUDONYM + "-" + token;
  }
  private static final Pattern SETTER_MESSAGE = Pattern.compile("[A-Za-z]+ (must .*)");
  public static final ProxyConfig DEFAULTS = of(null, null, null, null, null, null, null, null, null, null, null, null, null, null, null);

  /** Binds YAML: a missing (or null) key takes its default. */
  @JsonCreator
  public static ProxyConfig of(
      @JsonProperty("listen") HostPort listen,
      @JsonProperty("admin") HostPort admin,
      @JsonProperty("mode") Mode mode,
      @JsonProperty("pseudonym") String pseudonym,
      @JsonProperty("eventLoops") Integer eventLoops,
      @JsonProperty("limits") LimitsConfig limits,
      @JsonProperty("upstream") UpstreamConfig upstream,
      @JsonProperty("client") ClientConfig client,
      @JsonProperty("connect") ConnectConfig connect,
      @JsonProperty("accessLog") AccessLogFormat accessLog,
      @JsonProperty("shutdown") ShutdownConfig shutdown,
      @JsonProperty("access") AccessConfig access,
      @JsonProperty("security") SecurityConfig security,
      @JsonProperty("transport") TransportChoice.Kind transport,
      @JsonProperty("nativeTransport") Boolean nativeTransport) {
    return new ProxyConfig(
        requireNonNullElse(listen, DEFAULT_LISTEN),
        requireNonNullElse(admin, DEFAULT_ADMIN),
        requireNonNullElse(mode, ProxyOptions.DEFAULTS.mode()),
        requireNonNullElse(pseudonym, DEFAULT_PSEUDONYM),
        requireNonNullElse(eventLoops, 0),
        requireNonNullElse(limits, LimitsConfig.DEFAULTS),
        requireNonNullElse(upstream, UpstreamConfig.DEFAULTS),
        requireNonNullElse(client, ClientConfig.DEFAULTS),
        requireNonNullElse(connect, ConnectConfig.DEFAULTS),
        requireNonNullElse(accessLog, AccessLogFormat.JSON),
        requireNonNullElse(shutdown, ShutdownConfig.DEFAULTS),
        requireNonNullElse(access, AccessConfig.DEFAULTS),
        requireNonNullElse(security, SecurityConfig.DEFAULTS),
        transport(transport, nativeTransport));
  }

  /**
   * {@code transport}, or what the older boolean {@code nativeTransport} means when only it is set
   * (true: auto, false: nio). Both set and saying different things is a mistake to report.
   */
  private static TransportChoice.Kind transport(TransportChoice.Kind transport, Boolean nativeTransport) {
    if (nativeTransport == null) {
      return requireNonNullElse(transport, TransportChoice.Kind.AUTO);
    }
    TransportChoice.Kind implied = nativeTransport ? TransportChoice.Kind.AUTO : TransportChoice.Kind.NIO;
    if (transport != null && (transport == TransportChoice.Kind.NIO) != (implied == TransportChoice.Kind.NIO)) {
      throw new IllegalArgumentException("nativeTransport: " + nativeTransport + " contradicts transport: "
          + transport + " (nativeTransport is the older key: set transport only)");
    }
    return requireNonNullElse(transport, implied);
  }

  public ProxyConfig withListen(HostPort listen) {
    return new ProxyConfig(listen, admin, mode, pseudonym, eventLoops, limits, upstream, client, connect, accessLog, shutdown, access, security, transport);
  }

  public ProxyConfig withAdmin(HostPort admin) {
    return new ProxyConfig(listen, admin, mode, pseudonym, eventLoops, limits, upstream, client, connect, accessLog, shutdown, access, security, transport);
  }

  public ProxyConfig withMode(Mode mode) {
    return new ProxyConfig(listen, admin, mode, pseudonym, eventLoops, limits, upstream, client, connect, accessLog, shutdown, access, security, transport);
  }

  /**
   * The options for the core.
   *
   * @throws ConfigException naming the key whose value the core refuses
   */
  public ProxyOptions toProxyOptions() throws ConfigException {
    ProxyOptions o = new ProxyOptions();
    set("listen", o, x -> x.setHost(listen.host()).setPort(listen.port()));
    set("pseudonym", o, x -> x.setPseudonym(pseudonym));
    if (eventLoops < 0) {
      throw new ConfigException("eventLoops: must be >= 0 (0 = one per core), got " + eventLoops);
    }
    if (eventLoops > 0) {
      set("eventLoops", o, x -> x.setEventLoops(eventLoops));
    }
    set("limits", o, x -> x.setHeadLimits(
        new HeadLimits(limits.maxRequestLineBytes(), limits.maxHeaderBytes(), limits.maxFields())));
    set("limits.maxRequestBodyBytes", o, x -> x.setMaxRequestBodyBytes(limits.maxRequestBodyBytes()));
    set("limits", o, x -> x.setConnectionLimits(limits.maxClientConnections(), limits.maxConnectionsPerClient()));
    o.setDefaultUpstream(upstream.defaultUpstream());
    set("upstream.maxConnectionsPerOrigin", o, x -> x.setMaxConnectionsPerOrigin(upstream.maxConnectionsPerOrigin()));
    set("upstream.maxWaitQueue", o, x -> x.setMaxWaitQueue(upstream.maxWaitQueue()));
    set("upstream.connectTimeout", o, x -> x.setConnectTimeout(upstream.connectTimeout()));
    set("upstream.responseTimeout", o, x -> x.setResponseTimeout(upstream.responseTimeout()));
    set("upstream.idleTimeout", o, x -> x.setPoolIdleTimeout(upstream.idleTimeout()));
    set("upstream.maxLifetime", o, x -> x.setPoolMaxLifetime(upstream.maxLifetime()));
    set("upstream.caFile", o, x -> x.setUpstreamCaFile(upstream.caFile()));
    set("upstream.pipelining", o, x -> x.setUpstreamPipelining(upstream.pipelining()));
    set("client.idleTimeout", o, x -> x.setClientIdleTimeout(client.idleTimeout()));
    set("client.lingerTimeout", o, x -> x.setLingerTimeout(client.lingerTimeout()));
    set("client.headTimeout", o, x -> x.setHeadTimeout(client.headTimeout()));
    o.setHonorHttp10KeepAlive(client.honorHttp10KeepAlive());
    set("connect.ports", o, x -> x.setConnectPorts(connect.ports().items()));
    set("connect.idleTimeout", o, x -> x.setTunnelIdleTimeout(connect.idleTimeout()));
    o.setAllowWebSocket(connect.websocket());
    if (!access.denyAction().equals("respond") && !access.denyAction().equals("close")) {
      throw new ConfigException("access.denyAction: expected respond or close, got '" + access.denyAction() + "'");
    }
    set("access.clients", o, x -> x.setClientAccess(access.clients(), access.denyAction().equals("close")));
    o.setAllowTrace(security.allowTrace());
    set("security.forwarded", o, x -> x.setForwarded(io.hopwise.policy.ForwardedHeaders.of(
        io.hopwise.policy.ForwardedHeaders.Mode.parse(security.forwarded()), security.trustedProxies())));
    if (security.authFile() != null) {
      java.util.List<String> lines;
      try {
        lines = java.nio.file.Files.readAllLines(java.nio.file.Path.of(security.authFile()));
      } catch (java.io.IOException e) {
        throw new ConfigException("security.authFile: cannot read " + security.authFile() + " ("
            + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()) + ")");
      }
      try {
        o.setAuth(io.hopwise.policy.BasicAuth.parseFile(lines), security.authRealm());
      } catch (IllegalArgumentException e) {
        throw new ConfigException("security.authFile: " + security.authFile() + ": " + e.getMessage());
      }
    }
    set("access", o, x -> x.setDestinations(access.denyCidrs(), access.allowCidrs(), access.denyHosts(),
        access.allowHosts(), access.ports().items()));
    o.setMode(mode);
    return o;
  }

  /**
   * Applies one setter; its IllegalArgumentException becomes a message naming the config key. The
   * setter's own name for the option ("poolIdleTimeout must be ...") is dropped: the user knows the
   * key, not the field.
   */
  private static void set(String key, ProxyOptions o, Consumer<ProxyOptions> setter) throws ConfigException {
    try {
      setter.accept(o);
    } catch (IllegalArgumentException e) {
      Matcher m = SETTER_MESSAGE.matcher(String.valueOf(e.getMessage()));
      throw new ConfigException(key + ": " + (m.matches() ? m.group(1) : e.getMessage()));
    }
  }
}
