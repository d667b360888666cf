package io.hopwise;

import io.hopwise.http.HeadLimits;
import io.hopwise.http.Via;
import io.hopwise.options.AccessOptions;
import io.hopwise.options.ClientOptions;
import io.hopwise.options.ConnectOptions;
import io.hopwise.options.Limits;
import io.hopwise.options.RolesOptions;
import io.hopwise.options.SecurityOptions;
import io.hopwise.options.UpstreamOptions;
import io.hopwise.policy.BasicAuth;
import io.hopwise.policy.ClientAccess;
import io.hopwise.policy.ForwardedHeaders;
import io.hopwise.policy.Roles;
import java.util.Locale;
import java.util.Objects;

/**
 * Everything that configures a proxy, immutable, in the sections of the config file
 * ({@code conf/proxy.yaml}): each section is a record in {@code options/} with its defaults and
 * range checks, and proxy-app binds the file straight to them. What the proxy derives from them
 * (Via entries, head limits, client access, forwarding fields) is built once, here.
 * {@link ProxyOptionsBuilder} is for code and tests that set a few values.
 */
public final class ProxyOptions {
  public static final String DEFAULT_HOST = "127.0.0.1";
  public static final int DEFAULT_PORT = 3128;
  public static final String DEFAULT_PSEUDONYM = "hopwise";

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
      return name().toLowerCase(Locale.ROOT);
    }
  }

  public static final ProxyOptions DEFAULTS = builder().build();

  private final Mode mode;
  private final String host;
  private final int port;
  private final String pseudonym;
  private final int eventLoops;
  private final Limits limits;
  private final UpstreamOptions upstream;
  private final ClientOptions client;
  private final ConnectOptions connect;
  private final AccessOptions access;
  private final SecurityOptions security;
  private final RolesOptions roles;
  private final io.hopwise.options.ViewOptions view;
  private final BasicAuth auth;
  // Derived, once.
  private final Via via;
  private final HeadLimits headLimits;
  private final ClientAccess clientAccess;
  private final ForwardedHeaders forwarded;
  private final Roles compiledRoles;
  private final io.hopwise.options.ParentsOptions parents;
  private final io.hopwise.policy.Routes routes;
  /** Never shown: only to build options from these ({@link #toBuilder}). */
  private final java.util.Map<String, String> parentCredentials;

  /**
   * @param eventLoops event loops, each with its own upstream pool; 0 means one per core
   * @param auth the credentials for Basic proxy authentication (RFC 9110 11.7, RFC 7617), as read
   *     from {@code security.authFile}; null means none
   * @param parents parent proxies and routes (issue 27)
   * @param parentCredentials {@code user:password} per parent, as the program read them from
   *     each parent's credentials file or variable
   */
  public ProxyOptions(Mode mode, String host, int port, String pseudonym, int eventLoops, Limits limits,
      UpstreamOptions upstream, ClientOptions client, ConnectOptions connect, AccessOptions access,
      SecurityOptions security, RolesOptions roles, io.hopwise.options.ViewOptions view, BasicAuth auth,
      io.hopwise.options.ParentsOptions parents, java.util.Map<String, String> parentCredentials) {
    this.mode = Objects.requireNonNull(mode, "mode");
    this.host = Objects.requireNonNull(host, "host");
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port must be 0-65535, got " + port);
    }
    this.port = port;
    if (pseudonym == null || !pseudonym.matches("[A-Za-z0-9._~!$&'*+^`|-]+")) {
      throw new IllegalArgumentException("pseudonym must be a token (letters, digits, . _ - ...), got " + pseudonym);
    }
    this.pseudonym = pseudonym;
    if (eventLoops < 0) {
      throw new IllegalArgumentException("eventLoops must be >= 0 (0 = one per core), got " + eventLoops);
    }
    this.eventLoops = eventLoops == 0 ? Runtime.getRuntime().availableProcessors() : eventLoops;
    this.limits = Objects.requireNonNull(limits, "limits");
    this.upstream = Objects.requireNonNull(upstream, "upstream");
    this.client = Objects.requireNonNull(client, "client");
    this.connect = Objects.requireNonNull(connect, "connect");
    this.access = Objects.requireNonNull(access, "access");
    this.security = Objects.requireNonNull(security, "security");
    this.roles = Objects.requireNonNull(roles, "roles");
    this.view = Objects.requireNonNull(view, "view");
    this.auth = auth;
    this.via = Via.of(pseudonym);
    this.headLimits = limits.headLimits();
    this.clientAccess = access.clientAccess();
    this.forwarded = security.forwardedHeaders();
    this.compiledRoles = roles.compiled();
    this.parents = Objects.requireNonNull(parents, "parents");
    this.parentCredentials = java.util.Map.copyOf(parentCredentials);
    this.routes = parents.routes(this.parentCredentials);
  }

  /**
   * The keys whose change in {@code next} a running proxy cannot take (issue 26: they need a
   * restart): where it listens and its mode (the sockets and the strategy are made at start), its
   * event loops, and the CA file its upstream TLS trusts (built into each loop's connector).
   * Empty when a reload can apply {@code next} whole.
   */
  public java.util.List<String> restartNeededFor(ProxyOptions next) {
    java.util.List<String> keys = new java.util.ArrayList<>();
    if (!host.equals(next.host) || port != next.port) {
      keys.add("listen");
    }
    if (mode != next.mode) {
      keys.add("mode");
    }
    if (eventLoops != next.eventLoops) {
      keys.add("eventLoops");
    }
    if (!Objects.equals(upstream.caFile(), next.upstream.caFile())) {
      keys.add("upstream.caFile");
    }
    return keys;
  }

  /** A builder starting from the defaults. */
  public static ProxyOptionsBuilder builder() {
    return new ProxyOptionsBuilder();
  }

  /** A builder starting from these options. */
  public ProxyOptionsBuilder toBuilder() {
    return new ProxyOptionsBuilder(this);
  }

  public Mode mode() { return mode; }
  public String host() { return host; }
  public int port() { return port; }
  /** Our name in Via and in loop detection. */
  public String pseudonym() { return pseudonym; }
  /** Event loops, each with its own upstream pool. */
  public int eventLoops() { return eventLoops; }
  public Limits limits() { return limits; }
  public UpstreamOptions upstream() { return upstream; }
  public ClientOptions client() { return client; }
  public ConnectOptions connect() { return connect; }
  public AccessOptions access() { return access; }
  public SecurityOptions security() { return security; }
  public RolesOptions roles() { return roles; }
  public io.hopwise.options.ViewOptions view() { return view; }
  /** Basic proxy authentication's credentials; null means none. */
  public BasicAuth auth() { return auth; }

  /** Our Via entries for {@link #pseudonym}. */
  public Via via() { return via; }
  public HeadLimits headLimits() { return headLimits; }
  public ClientAccess clientAccess() { return clientAccess; }
  public ForwardedHeaders forwarded() { return forwarded; }
  /** The roles, ready to decide (issue 26). */
  public Roles compiledRoles() { return compiledRoles; }
  /** Parent proxies and routes, as configured (issue 27). */
  public io.hopwise.options.ParentsOptions parents() { return parents; }
  /** The routes, ready to decide, with the parents' credentials. */
  public io.hopwise.policy.Routes routes() { return routes; }
  java.util.Map<String, String> parentCredentials() { return parentCredentials; }
}
