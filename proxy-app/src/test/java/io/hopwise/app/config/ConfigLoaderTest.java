package io.hopwise.app.config;

import io.hopwise.ProxyOptions.Mode;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.hopwise.ProxyOptions;
import io.hopwise.http.HeadLimits;
import io.hopwise.http.Origin;
import io.hopwise.io.TransportChoice;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ConfigLoaderTest {
  @TempDir Path dir;

  private Path write(String yaml) throws IOException {
    return Files.writeString(dir.resolve("proxy.yaml"), yaml);
  }

  @Test
  void fullFileBindsEveryKey() throws Exception {
    ProxyConfig c = ConfigLoader.load(write("""
        listen: 0.0.0.0:8888
        admin: "[::1]:9000"
        mode: dumb
        pseudonym: edge-1
        eventLoops: 3
        limits:
          maxRequestLineBytes: 4096
          maxHeaderBytes: 8192
          maxFields: 50
          maxRequestBodyBytes: 1048576
          maxClientConnections: 500
          maxConnectionsPerClient: 20
        upstream:
          default: http://127.0.0.1:8080
          maxConnectionsPerOrigin: 4
          maxWaitQueue: 0
          connectTimeout: 500ms
          responseTimeout: 2m
          idleTimeout: 15s
          maxLifetime: 1h
          pipelining: 3
        client:
          idleTimeout: 90s
          lingerTimeout: 250ms
          headTimeout: 3s
          honorHttp10KeepAlive: true
        connect:
          ports: [443, 8443]
          idleTimeout: 1m
          websocket: true
        accessLog: squid
        shutdown:
          delay: 1s
          drainTimeout: 30s
        access:
          clients: [10.0.0.0/8]
          denyAction: close
          denyCidrs: [192.168.0.0/16]
          denyHosts: ["*.internal"]
          ports: [80, 443]
        transport: epoll
        security:
          authRealm: corp
          allowTrace: true
          forwarded: both
          trustedProxies: [10.1.0.0/16]
        """));
    assertEquals(new ProxyConfig(
        new HostPort("0.0.0.0", 8888), new HostPort("::1", 9000), Mode.DUMB, "edge-1", 3,
        new io.hopwise.options.Limits(4096, 8192, 50, 1048576, 500, 20),
        new io.hopwise.options.UpstreamOptions(new Origin("http", "127.0.0.1", 8080), 4, 0, Duration.ofMillis(500),
            Duration.ofMinutes(2), Duration.ofSeconds(15), Duration.ofHours(1), null, 3),
        new io.hopwise.options.ClientOptions(Duration.ofSeconds(90), Duration.ofMillis(250), Duration.ofSeconds(3), true),
        new io.hopwise.options.ConnectOptions(io.hopwise.policy.PortRanges.of(443, 8443), Duration.ofMinutes(1), true,
            io.hopwise.policy.SniCheck.Mode.REPORT),
        ProxyConfig.AccessLogFormat.SQUID,
        new ShutdownConfig(Duration.ofSeconds(1), Duration.ofSeconds(30)),
        new io.hopwise.options.AccessOptions(java.util.List.of("10.0.0.0/8"), "close", java.util.List.of("192.168.0.0/16"),
            java.util.List.of(), java.util.List.of("*.internal"), java.util.List.of(), io.hopwise.policy.PortRanges.of(80, 443)),
        new io.hopwise.options.SecurityOptions(null, "corp", true, "both", java.util.List.of("10.1.0.0/16")),
        io.hopwise.options.RolesOptions.DEFAULTS,
        io.hopwise.options.ParentsOptions.DEFAULTS,
        io.hopwise.options.ViewOptions.DEFAULTS,
        MetricsConfig.DEFAULTS,
        TransportChoice.Kind.EPOLL), c);

    ProxyOptions o = c.toProxyOptions();
    assertEquals("0.0.0.0", o.host());
    assertEquals(8888, o.port());
    assertEquals("edge-1", o.pseudonym());
    assertEquals(3, o.eventLoops());
    assertEquals(new HeadLimits(4096, 8192, 50), o.headLimits());
    assertEquals(new Origin("http", "127.0.0.1", 8080), o.upstream().defaultUpstream());
    assertEquals(4, o.upstream().maxConnectionsPerOrigin());
    assertEquals(0, o.upstream().maxWaitQueue());
    assertEquals(Duration.ofMillis(500), o.upstream().connectTimeout());
    assertEquals(Duration.ofMinutes(2), o.upstream().responseTimeout());
    assertEquals(Duration.ofSeconds(15), o.upstream().idleTimeout());
    assertEquals(Duration.ofHours(1), o.upstream().maxLifetime());
    assertEquals(Duration.ofSeconds(90), o.client().idleTimeout());
    assertEquals(Duration.ofMillis(250), o.client().lingerTimeout());
    assertEquals(Duration.ofSeconds(3), o.client().headTimeout());
    assertEquals(3, o.upstream().pipelining());
    assertEquals(io.hopwise.policy.PortRanges.of(443, 8443), o.connect().ports());
    assertEquals(Duration.ofMinutes(1), o.connect().idleTimeout());
    assertTrue(o.connect().websocket());
    assertTrue(o.security().allowTrace());
    assertEquals(1048576, o.limits().maxRequestBodyBytes());
    assertEquals(500, o.limits().maxClientConnections());
    assertEquals(20, o.limits().maxConnectionsPerClient());
    assertTrue(o.client().honorHttp10KeepAlive());
    assertEquals(ProxyOptions.Mode.DUMB, o.mode());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource
  void meansAllDefaults(String name, String yaml) throws Exception {
    assertEquals(ProxyConfig.DEFAULTS, ConfigLoader.load(write(yaml)));
  }

  static Stream<Arguments> meansAllDefaults() {
    return Stream.of(
        Arguments.of("empty file", ""),
        Arguments.of("only comments", "# nothing here\n\n"),
        Arguments.of("document start only", "---\n"),
        Arguments.of("null sections", "limits:\nupstream:\nclient: ~\n"),
        Arguments.of("empty sections", "limits: {}\nupstream: {}\nclient: {}\n"));
  }

  /** {@code transport}, and the older boolean it replaced, which existing files may still set. */
  @ParameterizedTest(name = "[{index}] {1}")
  @MethodSource
  void transportKey(String yaml, TransportChoice.Kind expected) throws Exception {
    assertEquals(expected, ConfigLoader.load(write(yaml)).transport());
  }

  static Stream<Arguments> transportKey() {
    return Stream.of(
        Arguments.of("", TransportChoice.Kind.AUTO),
        Arguments.of("transport: auto\n", TransportChoice.Kind.AUTO),
        Arguments.of("transport: io_uring\n", TransportChoice.Kind.IO_URING),
        Arguments.of("transport: epoll\n", TransportChoice.Kind.EPOLL),
        Arguments.of("transport: nio\n", TransportChoice.Kind.NIO),
        Arguments.of("nativeTransport: true\n", TransportChoice.Kind.AUTO),
        Arguments.of("nativeTransport: false\n", TransportChoice.Kind.NIO),
        Arguments.of("nativeTransport: true\ntransport: epoll\n", TransportChoice.Kind.EPOLL),
        Arguments.of("nativeTransport: false\ntransport: nio\n", TransportChoice.Kind.NIO));
  }

  @Test
  void effectiveConfigNamesTheTransportAsWritten() throws Exception {
    String yaml = ConfigLoader.toYaml(ConfigLoader.load(write("transport: io_uring\n")));
    assertTrue(yaml.contains("\ntransport: io_uring\n"), yaml);
    assertEquals(TransportChoice.Kind.IO_URING, ConfigLoader.load(write(yaml)).transport());
  }

  @Test
  void defaultsAreThoseOfProxyOptions() throws Exception {
    ProxyOptions o = ProxyConfig.DEFAULTS.toProxyOptions();
    assertEquals(new HostPort("127.0.0.1", 3128), ProxyConfig.DEFAULTS.listen());
    assertEquals(new HostPort("127.0.0.1", 9901), ProxyConfig.DEFAULTS.admin());
    assertEquals(Mode.SMART, ProxyConfig.DEFAULTS.mode());
    assertEquals(0, ProxyConfig.DEFAULTS.eventLoops());
    assertEquals(ProxyConfig.hostPseudonym(), o.pseudonym());
    assertTrue(o.pseudonym().startsWith("hopwise"), o.pseudonym());
    // The file binds to the core's own section records, so each default has one copy; this checks
    // that nothing on the way (the loader, an environment override) changes one.
    ProxyOptions d = ProxyOptions.DEFAULTS;
    for (String section : java.util.List.of("mode", "host", "port", "eventLoops", "limits", "upstream", "client",
        "connect", "access", "security", "auth")) {
      java.lang.reflect.Method m = ProxyOptions.class.getMethod(section);
      assertEquals(m.invoke(d), m.invoke(o), "default of " + section);
    }
  }

  @Test
  void partialSectionKeepsOtherDefaults() throws Exception {
    ProxyConfig c = ConfigLoader.load(write("upstream:\n  connectTimeout: 3s\n"));
    assertEquals(io.hopwise.options.UpstreamOptions.DEFAULTS.maxWaitQueue(), c.upstream().maxWaitQueue());
    assertEquals(Duration.ofSeconds(3), c.upstream().connectTimeout());
    assertEquals(ProxyConfig.DEFAULTS.listen(), c.listen());
  }

  @Test
  void caFileMustBeReadable() throws Exception {
    Path pem = write("-----BEGIN CERTIFICATE-----\n");
    assertEquals(pem.toString(), ConfigLoader.load(write("upstream:\n  caFile: " + pem + "\n"))
        .toProxyOptions().upstream().caFile());
    Path config = write("upstream:\n  caFile: /no/such/ca.pem\n");
    ConfigException e = org.junit.jupiter.api.Assertions.assertThrows(ConfigException.class,
        () -> ConfigLoader.load(config));
    assertEquals(config + ": upstream.caFile: must be a readable file, got /no/such/ca.pem", e.getMessage());
  }

  // Issue 26: roles bind from the file, print as written, and a mistake names its key.
  @Test
  void rolesBindAndPrintAsWritten() throws Exception {
    ProxyConfig c = ConfigLoader.load(write("""
        roles:
          static: app
          list:
            - name: app
              mode: report
              allow: [api.example.com, "*.example.org", 10.0.0.0/8]
              ports: [443, "8000-8999"]
        """));
    io.hopwise.policy.Role app = c.roles().list().get(0);
    assertEquals(io.hopwise.policy.Role.Mode.REPORT, app.mode());
    assertEquals("app", c.toProxyOptions().compiledRoles().roleOf(null, null).name());
    assertTrue(app.connect(), "connect defaults to true");
    String yaml = ConfigLoader.toYaml(c);
    assertTrue(yaml.contains("    mode: report\n"), yaml);
    assertEquals(c, ConfigLoader.load(write(yaml)), "what --check-config prints loads back the same");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource
  void roleMistakesNameTheirKey(String yaml, String message) throws Exception {
    Path file = write(yaml);
    ConfigException e = org.junit.jupiter.api.Assertions.assertThrows(ConfigException.class, () -> ConfigLoader.load(file));
    assertEquals(file + ": " + message, e.getMessage());
  }

  static Stream<Arguments> roleMistakesNameTheirKey() {
    return Stream.of(
        Arguments.of("roles:\n  static: nobody\n", "roles.static: must name a role of the list, got 'nobody'"),
        Arguments.of("roles:\n  list:\n    - name: a\n      mode: block\n",
            "roles.list[0].mode: must be enforce, report or open, got 'block'"),
        Arguments.of("roles:\n  list:\n    - name: a\n      allow: [\"exa mple.com\"]\n",
            "roles.list[0]: not a host pattern or CIDR: 'exa mple.com'"),
        Arguments.of("roles:\n  list:\n    - mode: report\n", "roles.list[0].name: must be given for every role"),
        Arguments.of("roles:\n  list:\n    - name: a\n      colour: red\n", "unknown key 'roles.list[0].colour'"));
  }

  // Issue 26: connect.ports took single ports only; every unprivileged port was a 64,512-element list.
  @Test
  void portsTakeRangesAndPrintThemShort() throws Exception {
    ProxyConfig c = ConfigLoader.load(write("connect:\n  ports: [443, 1024-65535]\naccess:\n  ports: [\"80-81\", 443]\n"));
    assertEquals(io.hopwise.policy.PortRanges.of(java.util.List.of(443, "1024-65535")), c.connect().ports());
    ProxyOptions o = c.toProxyOptions();
    assertTrue(o.connect().ports().contains(8080) && o.connect().ports().contains(443) && !o.connect().ports().contains(80));
    String yaml = ConfigLoader.toYaml(c);
    assertTrue(yaml.contains("ports:\n  - 443\n  - 1024-65535\n"), yaml);
    assertEquals(c, ConfigLoader.load(write(yaml)), "the printed config reads back the same");
    Path bad = write("connect:\n  ports: [1024-]\n");
    ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(bad));
    assertEquals(bad + ": connect.ports: ports must be 1-65535 or ranges like 1024-65535, got '1024-'", e.getMessage());
  }

  @Test
  void ipv6ListenAddress() throws Exception {
    assertEquals(new HostPort("::1", 3128), ConfigLoader.load(write("listen: '[::1]:3128'\n")).listen());
  }

  /** The shipped config documents the defaults, so it must parse to exactly them. */
  @Test
  void repositoryConfigParsesToTheDefaults() throws Exception {
    assertEquals(ProxyConfig.DEFAULTS, ConfigLoader.load(Path.of("..", "conf", "proxy.yaml")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource
  void rejects(String name, String yaml, String message) throws Exception {
    Path file = write(yaml);
    ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(file));
    assertEquals(file + ": " + message, e.getMessage());
  }

  static Stream<Arguments> rejects() {
    return Stream.of(
        Arguments.of("unknown top-level key", "listn: 127.0.0.1:3128\n",
            "unknown key 'listn'"),
        Arguments.of("unknown nested key", "upstream:\n  maxConections: 3\n",
            "unknown key 'upstream.maxConections'"),
        Arguments.of("record component name is not a key", "upstream:\n  defaultUpstream: http://a:1\n",
            "unknown key 'upstream.defaultUpstream'"),
        Arguments.of("bad duration", "upstream:\n  connectTimeout: ten\n",
            "upstream.connectTimeout: invalid duration 'ten' (use e.g. 500ms, 10s, 2m)"),
        Arguments.of("duration without unit", "client:\n  idleTimeout: 10\n",
            "client.idleTimeout: invalid duration '10' (use e.g. 500ms, 10s, 2m)"),
        Arguments.of("duration as a list", "client:\n  idleTimeout: [10s]\n",
            "client.idleTimeout: expected a single value, got a list"),
        Arguments.of("zero duration", "upstream:\n  idleTimeout: 0s\n",
            "upstream.idleTimeout: must be a positive duration, got PT0S"),
        Arguments.of("bad listen", "listen: x\n",
            "listen: expected HOST:PORT, got 'x'"),
        Arguments.of("listen port out of range", "listen: 127.0.0.1:65536\n",
            "listen: expected HOST:PORT, got '127.0.0.1:65536'"),
        Arguments.of("bad admin", "admin: 9901\n",
            "admin: expected HOST:PORT, got '9901'"),
        Arguments.of("upstream not http", "upstream:\n  default: ftp://127.0.0.1:21\n",
            "upstream.default: expected an origin URL like http://127.0.0.1:8080, got 'ftp://127.0.0.1:21'"),
        Arguments.of("upstream with a path", "upstream:\n  default: http://127.0.0.1:8080/api\n",
            "upstream.default: expected an origin URL like http://127.0.0.1:8080, got 'http://127.0.0.1:8080/api'"),
        Arguments.of("bad mode", "mode: fast\n",
            "mode: expected smart or dumb, got 'fast'"),
        Arguments.of("bad transport", "transport: uring\n",
            "transport: expected auto, io_uring, epoll or nio, got 'uring'"),
        Arguments.of("transport in capitals", "transport: EPOLL\n",
            "transport: expected auto, io_uring, epoll or nio, got 'EPOLL'"),
        Arguments.of("nativeTransport false against a native transport", "nativeTransport: false\ntransport: io_uring\n",
            "nativeTransport: false contradicts transport: io_uring (nativeTransport is the older key: set transport only)"),
        Arguments.of("nativeTransport true against nio", "nativeTransport: true\ntransport: nio\n",
            "nativeTransport: true contradicts transport: nio (nativeTransport is the older key: set transport only)"),
        Arguments.of("not an integer", "limits:\n  maxFields: many\n",
            "limits.maxFields: expected an integer, got 'many'"),
        Arguments.of("fraction for an integer", "upstream:\n  maxWaitQueue: 1.5\n",
            "upstream.maxWaitQueue: expected an integer, got '1.5'"),
        Arguments.of("zero connections", "upstream:\n  maxConnectionsPerOrigin: 0\n",
            "upstream.maxConnectionsPerOrigin: must be >= 1, got 0"),
        Arguments.of("negative wait queue", "upstream:\n  maxWaitQueue: -1\n",
            "upstream.maxWaitQueue: must be >= 0, got -1"),
        Arguments.of("negative event loops", "eventLoops: -1\n",
            "eventLoops: must be >= 0 (0 = one per core), got -1"),
        Arguments.of("pseudonym not a token", "pseudonym: 'a b'\n",
            "pseudonym: must be a token (letters, digits, . _ - ...), got a b"),
        Arguments.of("head limits too small", "limits:\n  maxFields: 0\n",
            "limits: head limits too small: 8192/16384/0"),
        Arguments.of("section not a mapping", "upstream: 5\n",
            "upstream: expected a mapping of keys"),
        Arguments.of("top level not a mapping", "hello\n",
            "expected a mapping of keys at the top level"),
        Arguments.of("duplicate key", "listen: 127.0.0.1:1\nlisten: 127.0.0.1:2\n",
            "duplicate key 'listen'"),
        Arguments.of("duplicate nested key", "client:\n  idleTimeout: 1s\n  idleTimeout: 2s\n",
            "duplicate key 'client.idleTimeout'"),
        Arguments.of("duplicate key deeper in a section", "client:\n  idleTimeout: 1s\n  lingerTimeout: 1s\n  idleTimeout: 2s\n",
            "duplicate key 'client.idleTimeout'"),
        Arguments.of("YAML syntax error", "listen: 127.0.0.1:3128\n  mode: smart\n",
            "line 2, column 7: invalid YAML (mapping values are not allowed here)"),
        Arguments.of("YAML syntax error inside a value", "listen: [127.0.0.1:3128\nmode: smart\n",
            "line 2, column 5: invalid YAML (expected ',' or ']', but got :)"),
        Arguments.of("two documents", "listen: 127.0.0.1:1\n---\nmode: smart\n",
            "more than one YAML document (a config file holds exactly one)"),
        Arguments.of("unterminated quote", "pseudonym: 'abc\n",
            "line 2, column 1: invalid YAML (found unexpected end of stream)"),
        Arguments.of("tab indentation", "client:\n\tidleTimeout: 1s\n",
            "line 2, column 1: invalid YAML (found character '\\t(TAB)' that cannot start any token. (Do not use \\t(TAB) for indentation))"));
  }

  @Test
  void missingFileIsAnError() {
    Path file = dir.resolve("nope.yaml");
    ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(file));
    assertEquals(file + ": cannot read file (No such file or directory)", e.getMessage());
  }

  @Test
  void directoryIsAnError() {
    ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(dir));
    assertEquals(dir + ": cannot read file (Is a directory)", e.getMessage());
  }

  @Test
  void missingFileMeansDefaultsWhenOptional() throws Exception {
    assertEquals(ProxyConfig.DEFAULTS, ConfigLoader.loadIfPresent(dir.resolve("nope.yaml")));
  }

  @Test
  void presentOptionalFileIsStillChecked() throws Exception {
    Path file = write("listen: x\n");
    ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.loadIfPresent(file));
    assertEquals(file + ": listen: expected HOST:PORT, got 'x'", e.getMessage());
  }
}
