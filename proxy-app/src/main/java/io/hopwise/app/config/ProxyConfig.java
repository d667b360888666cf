package io.hopwise.app.config;

import static java.util.Objects.requireNonNullElse;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.hopwise.ProxyOptions;
import io.hopwise.ProxyOptions.Mode;
import io.hopwise.io.TransportChoice;
import io.hopwise.options.AccessOptions;
import io.hopwise.options.ClientOptions;
import io.hopwise.options.ConnectOptions;
import io.hopwise.options.Limits;
import io.hopwise.options.RolesOptions;
import io.hopwise.options.SecurityOptions;
import io.hopwise.options.UpstreamOptions;
import io.hopwise.policy.BasicAuth;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The whole configuration file ({@code conf/proxy.yaml}), immutable. Every key is optional. The
 * proxy's own sections bind straight to the core's option records ({@code io.hopwise.options}),
 * which hold their defaults and range checks; this record adds what only the program has (admin
 * port, access log, shutdown, transport).
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
    Limits limits,
    UpstreamOptions upstream,
    ClientOptions client,
    ConnectOptions connect,
    AccessLogFormat accessLog,
    ShutdownConfig shutdown,
    AccessOptions access,
    SecurityOptions security,
    RolesOptions roles,
    io.hopwise.options.ParentsOptions parents,
    io.hopwise.options.ViewOptions view,
    MetricsConfig metrics,
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
  private static final Pattern CHECK_MESSAGE = Pattern.compile("([A-Za-z]+) (must .*)");
  public static final ProxyConfig DEFAULTS = of(null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null);

  /** Binds YAML: a missing (or null) key takes its default. */
  @JsonCreator
  public static ProxyConfig of(
      @JsonProperty("listen") HostPort listen,
      @JsonProperty("admin") HostPort admin,
      @JsonProperty("mode") Mode mode,
      @JsonProperty("pseudonym") String pseudonym,
      @JsonProperty("eventLoops") Integer eventLoops,
      @JsonProperty("limits") Limits limits,
      @JsonProperty("upstream") UpstreamOptions upstream,
      @JsonProperty("client") ClientOptions client,
      @JsonProperty("connect") ConnectOptions connect,
      @JsonProperty("accessLog") AccessLogFormat accessLog,
      @JsonProperty("shutdown") ShutdownConfig shutdown,
      @JsonProperty("access") AccessOptions access,
      @JsonProperty("security") SecurityOptions security,
      @JsonProperty("roles") RolesOptions roles,
      @JsonProperty("parents") io.hopwise.options.ParentsOptions parents,
      @JsonProperty("view") io.hopwise.options.ViewOptions view,
      @JsonProperty("metrics") MetricsConfig metrics,
      @JsonProperty("transport") TransportChoice.Kind transport,
      @JsonProperty("nativeTransport") Boolean nativeTransport) {
    return new ProxyConfig(
        requireNonNullElse(listen, DEFAULT_LISTEN),
        requireNonNullElse(admin, DEFAULT_ADMIN),
        requireNonNullElse(mode, ProxyOptions.DEFAULTS.mode()),
        requireNonNullElse(pseudonym, DEFAULT_PSEUDONYM),
        requireNonNullElse(eventLoops, 0),
        requireNonNullElse(limits, Limits.DEFAULTS),
        requireNonNullElse(upstream, UpstreamOptions.DEFAULTS),
        requireNonNullElse(client, ClientOptions.DEFAULTS),
        requireNonNullElse(connect, ConnectOptions.DEFAULTS),
        requireNonNullElse(accessLog, AccessLogFormat.JSON),
        requireNonNullElse(shutdown, ShutdownConfig.DEFAULTS),
        requireNonNullElse(access, AccessOptions.DEFAULTS),
        requireNonNullElse(security, SecurityOptions.DEFAULTS),
        requireNonNullElse(roles, RolesOptions.DEFAULTS),
        requireNonNullElse(parents, io.hopwise.options.ParentsOptions.DEFAULTS),
        requireNonNullElse(view, io.hopwise.options.ViewOptions.DEFAULTS),
        requireNonNullElse(metrics, MetricsConfig.DEFAULTS),
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
    return new ProxyConfig(listen, admin, mode, pseudonym, eventLoops, limits, upstream, client, connect, accessLog, shutdown, access, security, roles, parents, view, metrics, transport);
  }

  public ProxyConfig withAdmin(HostPort admin) {
    return new ProxyConfig(listen, admin, mode, pseudonym, eventLoops, limits, upstream, client, connect, accessLog, shutdown, access, security, roles, parents, view, metrics, transport);
  }

  /**
   * One parent for every destination, from a URL that may carry {@code user:password@}
   * ({@code --parent}, {@code HOPWISE_PARENT}; like curl's {@code -x}); the bypass list stays.
   */
  public ProxyConfig withParent(String url) {
    io.hopwise.options.ParentsOptions p = parents.withSingleParent(io.hopwise.options.ParentsOptions.ParentSpec.fromUrl("parent", url));
    return new ProxyConfig(listen, admin, mode, pseudonym, eventLoops, limits, upstream, client, connect, accessLog, shutdown, access, security, roles, p, view, metrics, transport);
  }

  public ProxyConfig withMode(Mode mode) {
    return new ProxyConfig(listen, admin, mode, pseudonym, eventLoops, limits, upstream, client, connect, accessLog, shutdown, access, security, roles, parents, view, metrics, transport);
  }

  /**
   * The options for the core, with the credentials read from {@code security.authFile}.
   *
   * @throws ConfigException naming the key whose value the core refuses
   */
  public ProxyOptions toProxyOptions() throws ConfigException {
    BasicAuth auth = security.authFile() == null ? null : readAuth(security.authFile());
    java.util.Map<String, String> credentials = parentCredentials(parents, ConfigLoader.environment.get());
    try {
      return new ProxyOptions(mode, listen.host(), listen.port(), pseudonym, eventLoops, limits, upstream, client,
          connect, access, security, roles, view, auth, parents, credentials);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(atKey("", e.getMessage()));
    }
  }

  /**
   * Each parent's {@code user:password}, from its credentials file (the first line) or variable
   * (issue 27). The values never go further than the core's options: no log, no /config.
   */
  static java.util.Map<String, String> parentCredentials(io.hopwise.options.ParentsOptions parents,
      java.util.Map<String, String> env) throws ConfigException {
    java.util.Map<String, String> out = new java.util.HashMap<>();
    for (int i = 0; i < parents.list().size(); i++) {
      var p = parents.list().get(i);
      String key = "parents.list[" + i + "]";
      String value = null;
      if (p.credentialsFile() != null) {
        try {
          value = java.nio.file.Files.readAllLines(java.nio.file.Path.of(p.credentialsFile())).stream()
              .map(String::strip).filter(l -> !l.isEmpty()).findFirst().orElse("");
        } catch (java.io.IOException e) {
          throw new ConfigException(key + ".credentialsFile: cannot read " + p.credentialsFile() + " ("
              + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()) + ")");
        }
        key += ".credentialsFile: " + p.credentialsFile();
      } else if (p.credentialsEnv() != null) {
        value = env.get(p.credentialsEnv());
        if (value == null) {
          throw new ConfigException(key + ".credentialsEnv: the variable " + p.credentialsEnv() + " is not set");
        }
        key += ".credentialsEnv: " + p.credentialsEnv();
      }
      if (value != null) {
        if (value.indexOf(':') <= 0) {
          throw new ConfigException(key + " must hold user:password (it does not; its value is not shown)");
        }
        out.put(p.name(), value);
      }
    }
    return out;
  }

  private static BasicAuth readAuth(String file) throws ConfigException {
    java.util.List<String> lines;
    try {
      lines = java.nio.file.Files.readAllLines(java.nio.file.Path.of(file));
    } catch (java.io.IOException e) {
      throw new ConfigException("security.authFile: cannot read " + file + " ("
          + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()) + ")");
    }
    try {
      return BasicAuth.parseFile(lines);
    } catch (IllegalArgumentException e) {
      throw new ConfigException("security.authFile: " + file + ": " + e.getMessage());
    }
  }

  /**
   * A range check's message ("idleTimeout must be ...", from an option record) as one naming the
   * whole key: {@code upstream.idleTimeout: must be ...}. {@code section} is the key path of the
   * record ("" at the top).
   */
  static String atKey(String section, String message) {
    Matcher m = CHECK_MESSAGE.matcher(String.valueOf(message));
    if (m.matches()) {
      return (section.isEmpty() ? "" : section + ".") + m.group(1) + ": " + m.group(2);
    }
    return section.isEmpty() ? message : section + ": " + message;
  }
}
