package io.hopwise;

import io.hopwise.http.HeadLimits;
import io.hopwise.http.Origin;
import io.hopwise.options.AccessOptions;
import io.hopwise.options.ClientOptions;
import io.hopwise.options.ConnectOptions;
import io.hopwise.options.Limits;
import io.hopwise.options.RolesOptions;
import io.hopwise.options.SecurityOptions;
import io.hopwise.options.UpstreamOptions;
import io.hopwise.policy.BasicAuth;
import io.hopwise.policy.ForwardedHeaders;
import io.hopwise.policy.PortRanges;
import java.time.Duration;
import java.util.Collection;
import java.util.List;

/**
 * Sets {@link ProxyOptions} one value at a time, for code and tests. It starts from the sections'
 * defaults (or from given options). A setter of one value makes its section's record again, and
 * the record checks the value; {@link #build} checks the rest (port, pseudonym, event loops).
 */
public final class ProxyOptionsBuilder {
  private ProxyOptions.Mode mode = ProxyOptions.Mode.SMART;
  private String host = ProxyOptions.DEFAULT_HOST;
  private int port = ProxyOptions.DEFAULT_PORT;
  private String pseudonym = ProxyOptions.DEFAULT_PSEUDONYM;
  private int eventLoops;
  private Limits limits = Limits.DEFAULTS;
  private UpstreamOptions upstream = UpstreamOptions.DEFAULTS;
  private ClientOptions client = ClientOptions.DEFAULTS;
  private ConnectOptions connect = ConnectOptions.DEFAULTS;
  private AccessOptions access = AccessOptions.DEFAULTS;
  private SecurityOptions security = SecurityOptions.DEFAULTS;
  private RolesOptions roles = RolesOptions.DEFAULTS;
  private io.hopwise.options.ViewOptions view = io.hopwise.options.ViewOptions.DEFAULTS;
  private BasicAuth auth;
  private io.hopwise.options.ParentsOptions parents = io.hopwise.options.ParentsOptions.DEFAULTS;
  private java.util.Map<String, String> parentCredentials = java.util.Map.of();

  ProxyOptionsBuilder() {}

  ProxyOptionsBuilder(ProxyOptions o) {
    mode = o.mode();
    host = o.host();
    port = o.port();
    pseudonym = o.pseudonym();
    eventLoops = o.eventLoops();
    limits = o.limits();
    upstream = o.upstream();
    client = o.client();
    connect = o.connect();
    access = o.access();
    security = o.security();
    roles = o.roles();
    view = o.view();
    auth = o.auth();
    parents = o.parents();
    parentCredentials = o.parentCredentials();
  }

  public ProxyOptions build() {
    return new ProxyOptions(mode, host, port, pseudonym, eventLoops, limits, upstream, client, connect, access,
        security, roles, view, auth, parents, parentCredentials);
  }

  public ProxyOptionsBuilder setMode(ProxyOptions.Mode mode) { this.mode = mode; return this; }
  public ProxyOptionsBuilder setHost(String host) { this.host = host; return this; }
  public ProxyOptionsBuilder setPort(int port) { this.port = port; return this; }
  public ProxyOptionsBuilder setPseudonym(String pseudonym) { this.pseudonym = pseudonym; return this; }
  /** 0 means one per core. */
  public ProxyOptionsBuilder setEventLoops(int n) { this.eventLoops = n; return this; }
  public ProxyOptionsBuilder setAuth(BasicAuth auth) { this.auth = auth; return this; }

  // Whole sections.
  public ProxyOptionsBuilder setLimits(Limits limits) { this.limits = limits; return this; }
  public ProxyOptionsBuilder setUpstream(UpstreamOptions upstream) { this.upstream = upstream; return this; }
  public ProxyOptionsBuilder setClient(ClientOptions client) { this.client = client; return this; }
  public ProxyOptionsBuilder setConnect(ConnectOptions connect) { this.connect = connect; return this; }
  public ProxyOptionsBuilder setAccess(AccessOptions access) { this.access = access; return this; }
  public ProxyOptionsBuilder setSecurity(SecurityOptions security) { this.security = security; return this; }
  public ProxyOptionsBuilder setRoles(RolesOptions roles) { this.roles = roles; return this; }
  public ProxyOptionsBuilder setParents(io.hopwise.options.ParentsOptions parents, java.util.Map<String, String> credentials) {
    this.parents = parents;
    this.parentCredentials = credentials;
    return this;
  }
  public ProxyOptionsBuilder setView(io.hopwise.options.ViewOptions view) { this.view = view; return this; }

  // One value of a section: the section is made again with it (each record's canonical constructor).

  public ProxyOptionsBuilder setHeadLimits(HeadLimits h) {
    Limits l = limits;
    limits = new Limits(h.maxRequestLineBytes(), h.maxHeaderBytes(), h.maxFields(), l.maxRequestBodyBytes(),
        l.maxClientConnections(), l.maxConnectionsPerClient());
    return this;
  }

  public ProxyOptionsBuilder setMaxRequestBodyBytes(long n) {
    Limits l = limits;
    limits = new Limits(l.maxRequestLineBytes(), l.maxHeaderBytes(), l.maxFields(), n, l.maxClientConnections(),
        l.maxConnectionsPerClient());
    return this;
  }

  public ProxyOptionsBuilder setConnectionLimits(int total, int perClient) {
    Limits l = limits;
    limits = new Limits(l.maxRequestLineBytes(), l.maxHeaderBytes(), l.maxFields(), l.maxRequestBodyBytes(), total,
        perClient);
    return this;
  }

  /** Where origin-form requests go (sidecar use); null refuses them with 400. */
  public ProxyOptionsBuilder setDefaultUpstream(Origin origin) {
    UpstreamOptions u = upstream;
    upstream = new UpstreamOptions(origin, u.maxConnectionsPerOrigin(), u.maxWaitQueue(), u.connectTimeout(),
        u.responseTimeout(), u.idleTimeout(), u.maxLifetime(), u.caFile(), u.pipelining());
    return this;
  }

  public ProxyOptionsBuilder setMaxConnectionsPerOrigin(int n) { return upstream(n, null, null, null, null, null, null, null); }
  public ProxyOptionsBuilder setMaxWaitQueue(int n) { return upstream(null, n, null, null, null, null, null, null); }
  public ProxyOptionsBuilder setConnectTimeout(Duration d) { return upstream(null, null, d, null, null, null, null, null); }
  public ProxyOptionsBuilder setResponseTimeout(Duration d) { return upstream(null, null, null, d, null, null, null, null); }
  public ProxyOptionsBuilder setPoolIdleTimeout(Duration d) { return upstream(null, null, null, null, d, null, null, null); }
  public ProxyOptionsBuilder setPoolMaxLifetime(Duration d) { return upstream(null, null, null, null, null, d, null, null); }
  public ProxyOptionsBuilder setUpstreamCaFile(String f) { return upstream(null, null, null, null, null, null, f, null); }
  public ProxyOptionsBuilder setUpstreamPipelining(int n) { return upstream(null, null, null, null, null, null, null, n); }

  /** The upstream section with the non-null arguments in place of its values. */
  private ProxyOptionsBuilder upstream(Integer perOrigin, Integer waitQueue, Duration connectTimeout,
      Duration responseTimeout, Duration idle, Duration lifetime, String caFile, Integer pipelining) {
    UpstreamOptions u = upstream;
    upstream = new UpstreamOptions(u.defaultUpstream(), or(perOrigin, u.maxConnectionsPerOrigin()),
        or(waitQueue, u.maxWaitQueue()), or(connectTimeout, u.connectTimeout()), or(responseTimeout, u.responseTimeout()),
        or(idle, u.idleTimeout()), or(lifetime, u.maxLifetime()), or(caFile, u.caFile()), or(pipelining, u.pipelining()));
    return this;
  }

  public ProxyOptionsBuilder setClientIdleTimeout(Duration d) { return client(d, null, null, null); }
  public ProxyOptionsBuilder setLingerTimeout(Duration d) { return client(null, d, null, null); }
  public ProxyOptionsBuilder setHeadTimeout(Duration d) { return client(null, null, d, null); }
  public ProxyOptionsBuilder setHonorHttp10KeepAlive(boolean b) { return client(null, null, null, b); }

  private ProxyOptionsBuilder client(Duration idle, Duration linger, Duration head, Boolean http10KeepAlive) {
    ClientOptions c = client;
    client = new ClientOptions(or(idle, c.idleTimeout()), or(linger, c.lingerTimeout()), or(head, c.headTimeout()),
        or(http10KeepAlive, c.honorHttp10KeepAlive()));
    return this;
  }

  /** Each item a port (an integer) or a range ({@code "1024-65535"}). */
  public ProxyOptionsBuilder setConnectPorts(Collection<?> ports) {
    connect = new ConnectOptions(PortRanges.of(ports), connect.idleTimeout(), connect.websocket(), connect.sniCheck());
    return this;
  }

  public ProxyOptionsBuilder setTunnelIdleTimeout(Duration d) {
    connect = new ConnectOptions(connect.ports(), d, connect.websocket(), connect.sniCheck());
    return this;
  }

  public ProxyOptionsBuilder setAllowWebSocket(boolean allow) {
    connect = new ConnectOptions(connect.ports(), connect.idleTimeout(), allow, connect.sniCheck());
    return this;
  }

  public ProxyOptionsBuilder setSniCheck(io.hopwise.policy.SniCheck.Mode mode) {
    connect = new ConnectOptions(connect.ports(), connect.idleTimeout(), connect.websocket(), mode);
    return this;
  }

  public ProxyOptionsBuilder setDestinations(List<String> denyCidrs, List<String> allowCidrs, List<String> denyHosts,
      List<String> allowHosts, Collection<?> ports) {
    access = new AccessOptions(access.clients(), access.denyAction(), denyCidrs, allowCidrs, denyHosts, allowHosts,
        PortRanges.of(ports));
    return this;
  }

  public ProxyOptionsBuilder setClientAccess(List<String> cidrs, boolean refuseByClosing) {
    AccessOptions a = access;
    access = new AccessOptions(cidrs, refuseByClosing ? "close" : "respond", a.denyCidrs(), a.allowCidrs(),
        a.denyHosts(), a.allowHosts(), a.ports());
    return this;
  }

  /** The credentials and the realm of the 407 challenge. */
  public ProxyOptionsBuilder setAuth(BasicAuth auth, String realm) {
    SecurityOptions s = security;
    security = new SecurityOptions(s.authFile(), realm, s.allowTrace(), s.forwarded(), s.trustedProxies());
    this.auth = auth;
    return this;
  }

  public ProxyOptionsBuilder setAllowTrace(boolean allow) {
    SecurityOptions s = security;
    security = new SecurityOptions(s.authFile(), s.authRealm(), allow, s.forwarded(), s.trustedProxies());
    return this;
  }

  public ProxyOptionsBuilder setForwarded(ForwardedHeaders.Mode mode, List<String> trustedProxies) {
    SecurityOptions s = security;
    security = new SecurityOptions(s.authFile(), s.authRealm(), s.allowTrace(), mode.configName(), trustedProxies);
    return this;
  }

  private static <T> T or(T given, T current) {
    return given != null ? given : current;
  }
}
