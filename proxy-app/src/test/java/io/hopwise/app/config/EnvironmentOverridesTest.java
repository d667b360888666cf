package io.hopwise.app.config;

import io.hopwise.ProxyOptions.Mode;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.hopwise.io.TransportChoice;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EnvironmentOverridesTest {
  @TempDir
  Path dir;

  @AfterEach
  void restore() {
    ConfigLoader.environment = System::getenv;
  }

  private ProxyConfig load(String yaml, Map<String, String> env) throws Exception {
    ConfigLoader.environment = () -> env;
    return ConfigLoader.load(Files.writeString(dir.resolve("proxy.yaml"), yaml));
  }

  @Test
  void variableNamesFollowTheKeyPath() {
    assertEquals("HOPWISE_LISTEN", EnvironmentOverrides.variableFor("listen"));
    assertEquals("HOPWISE_UPSTREAM_CONNECTTIMEOUT", EnvironmentOverrides.variableFor("upstream.connectTimeout"));
  }

  @Test
  void environmentOverridesTheFile() throws Exception {
    ProxyConfig c = load("listen: 127.0.0.1:1000\nupstream:\n  maxWaitQueue: 3\n", Map.of(
        "HOPWISE_LISTEN", "0.0.0.0:3128",
        "HOPWISE_ADMIN_LISTEN", "0.0.0.0:9901",
        "HOPWISE_MODE", "dumb",
        "HOPWISE_UPSTREAM_CONNECTTIMEOUT", "2s",
        "HOPWISE_CONNECT_PORTS", "443, 8443",
        "HOPWISE_CLIENT_HONORHTTP10KEEPALIVE", "true",
        "UNRELATED", "x"));
    assertEquals(new HostPort("0.0.0.0", 3128), c.listen());
    assertEquals(new HostPort("0.0.0.0", 9901), c.admin());
    assertEquals(Mode.DUMB, c.mode());
    assertEquals(Duration.ofSeconds(2), c.upstream().connectTimeout());
    assertEquals(3, c.upstream().maxWaitQueue(), "keys not in the environment keep the file's value");
    assertEquals(io.hopwise.policy.PortRanges.of(443, 8443), c.connect().ports());
    assertEquals(true, c.client().honorHttp10KeepAlive());
  }

  /**
   * Regression: HOPWISE_ROLES_STATIC (the sidecar's one role per pod), HOPWISE_ROLES_DEFAULT and
   * HOPWISE_METRICS_DESTINATIONS were read as lists, and a one-word value failed the start with
   * "roles.static: expected a string".
   */
  @Test
  void singleValueKeysAreNotLists() throws Exception {
    ProxyConfig c = load("roles:\n  list: [{name: app}, {name: other}]\n", Map.of(
        "HOPWISE_ROLES_STATIC", "app", "HOPWISE_ROLES_DEFAULT", "other", "HOPWISE_METRICS_DESTINATIONS", "7",
        "HOPWISE_VIEW_RECENT", "20", "HOPWISE_VIEW_HIDEPATHS", "true"));
    assertEquals("app", c.roles().staticRole());
    assertEquals("other", c.roles().defaultRole());
    assertEquals(7, c.metrics().destinations());
    assertEquals(new io.hopwise.options.ViewOptions(20, true), c.view());
  }

  @Test
  void accessLogOffUnquotedIsOff() throws Exception {
    // YAML 1.1 reads "off" as false; people will write it unquoted.
    assertEquals(ProxyConfig.AccessLogFormat.OFF, load("accessLog: off\n", Map.of()).accessLog());
    assertEquals(ProxyConfig.AccessLogFormat.SQUID, load("accessLog: squid\n", Map.of()).accessLog());
  }

  @Test
  void badValueNamesTheVariable() {
    ConfigException e = assertThrows(ConfigException.class,
        () -> load("", Map.of("HOPWISE_UPSTREAM_CONNECTTIMEOUT", "soon")));
    assertEquals(dir.resolve("proxy.yaml") + ": upstream.connectTimeout: invalid duration 'soon' (use e.g. 500ms, 10s, 2m)"
        + " (set by environment variable HOPWISE_UPSTREAM_CONNECTTIMEOUT)", e.getMessage());
  }

  @Test
  void everyKeyCanBeOverridden() throws Exception {
    // The list of keys must cover the file's keys: rendering the defaults shows every key.
    String yaml = ConfigLoader.toYaml(ProxyConfig.DEFAULTS);
    for (String key : EnvironmentOverrides.KEYS) {
      String leaf = key.substring(key.lastIndexOf('.') + 1);
      assertEquals(true, yaml.contains(leaf + ":"), key + " is not a config key:\n" + yaml);
    }
    List<String> lines = yaml.lines().toList();
    long leaves = 0;
    for (int i = 0; i < lines.size(); i++) {
      boolean key = lines.get(i).matches("\\s*[A-Za-z0-9]+:( .*)?");
      boolean section = lines.get(i).endsWith(":") && i + 1 < lines.size()
          && lines.get(i + 1).startsWith("  ") && !lines.get(i + 1).trim().startsWith("-");
      if (key && !section) {
        leaves++;
      }
    }
    assertEquals(EnvironmentOverrides.KEYS.size() + EnvironmentOverrides.FILE_ONLY.size(), leaves,
        "a config key has no environment variable:\n" + yaml);
  }

  @Test
  void transportByVariableAndTheOlderVariable() throws Exception {
    assertEquals(TransportChoice.Kind.EPOLL, load("", Map.of("HOPWISE_TRANSPORT", "epoll")).transport());
    assertEquals(TransportChoice.Kind.NIO, load("", Map.of("HOPWISE_NATIVETRANSPORT", "false")).transport());
    ConfigException e = assertThrows(ConfigException.class,
        () -> load("", Map.of("HOPWISE_TRANSPORT", "uring")));
    assertEquals(dir.resolve("proxy.yaml") + ": transport: expected auto, io_uring, epoll or nio, got 'uring'"
        + " (set by environment variable HOPWISE_TRANSPORT)", e.getMessage());
  }

  @Test
  void theEnvironmentOverridesTheFilesOtherKeyForTheTransport() throws Exception {
    // Files written before transport existed say nativeTransport: true.
    assertEquals(TransportChoice.Kind.NIO,
        load("nativeTransport: true\n", Map.of("HOPWISE_TRANSPORT", "nio")).transport());
    assertEquals(TransportChoice.Kind.NIO,
        load("transport: io_uring\n", Map.of("HOPWISE_NATIVETRANSPORT", "false")).transport());
    // Both from the environment and contradicting: still an error.
    ConfigException e = assertThrows(ConfigException.class,
        () -> load("", Map.of("HOPWISE_TRANSPORT", "epoll", "HOPWISE_NATIVETRANSPORT", "false")));
    assertEquals(true, e.getMessage().contains("nativeTransport: false contradicts transport: epoll"), e.getMessage());
  }
}
