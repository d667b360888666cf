package io.hopwise.app.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hopwise.ProxyOptions;
import io.hopwise.app.CommandLine;
import io.hopwise.policy.Routes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code parents:} section as the program reads it (issue 27): routes and failover lists,
 * credentials from a file or a variable (never shown by --check-config), {@code --parent} and
 * {@code HOPWISE_PARENT} as curl's {@code -x}, and one-line errors naming the key.
 */
class ParentsConfigTest {
  @TempDir Path dir;

  private Path write(String yaml) throws Exception {
    return Files.writeString(dir.resolve("proxy.yaml"), yaml);
  }

  private ProxyOptions options(Path file, Map<String, String> env) throws Exception {
    return ConfigLoaderAccess.optionsWithEnvironment(ConfigLoaderAccess.loadWithEnvironment(file, env), env);
  }

  @Test
  void parentsRoutesAndCredentialsFromAFileAndAVariable() throws Exception {
    Path secret = Files.writeString(dir.resolve("corp.auth"), "\nhop:file-secret\n");
    Path file = write("""
        parents:
          list:
            - name: corp
              url: http://proxy.corp.example:3128
              credentialsFile: %s
            - name: backup
              url: https://proxy2.corp.example:3129
              credentialsEnv: BACKUP_PROXY_AUTH
          routes:
            - match: ["*.internal.example", 10.0.0.0/8]
              via: direct
            - match: ["*.example.com"]
              via: [corp, backup]
          default: corp
          bypass: [localhost, .svc.cluster.local]
          downFor: 10s
        """.formatted(secret));
    ProxyOptions o = options(file, Map.of("BACKUP_PROXY_AUTH", "hop:env-secret"));
    Routes r = o.routes();
    assertEquals("routes[0]", r.route("db.internal.example").name());
    assertTrue(r.route("db.internal.example").direct());
    assertEquals(List.of("corp", "backup"), r.route("www.example.com").parents().stream().map(p -> p.name()).toList());
    assertEquals("Basic aG9wOmZpbGUtc2VjcmV0", r.route("www.example.com").parents().get(0).authorization());
    assertEquals("Basic aG9wOmVudi1zZWNyZXQ=", r.route("www.example.com").parents().get(1).authorization());
    assertEquals("bypass", r.route("api.default.svc.cluster.local").name());
    assertEquals("default", r.route("example.org").name());
    assertEquals(10_000_000_000L, o.parents().downForNanos());

    String shown = ConfigLoader.toYaml(ConfigLoaderAccess.loadWithEnvironment(file, Map.of("BACKUP_PROXY_AUTH", "hop:env-secret")));
    assertFalse(shown.contains("file-secret") || shown.contains("env-secret") || shown.contains("aG9w"),
        "--check-config and /config never show a credential:\n" + shown);
    assertTrue(shown.contains("credentialsEnv: BACKUP_PROXY_AUTH"), shown);
  }

  @Test
  void theParentFlagAndVariableSendEverythingThroughOneParentCredentialsHidden() throws Exception {
    Path file = write("parents:\n  bypass: [localhost]\n");
    ProxyConfig fromEnv = ConfigLoaderAccess.loadWithEnvironment(file,
        Map.of("HOPWISE_PARENT", "http://hop:env%21secret@proxy.corp.example:8080"));
    assertEquals("http://proxy.corp.example:8080", fromEnv.parents().list().get(0).url());
    assertEquals(List.of("parent"), fromEnv.parents().defaultVia());
    assertEquals(List.of("localhost"), fromEnv.parents().bypass(), "the bypass list stays");
    String shown = ConfigLoader.toYaml(fromEnv);
    assertFalse(shown.contains("env!secret") || shown.contains("env%21secret") || shown.contains("hop:"), shown);

    CommandLine cl = CommandLine.parse("--parent", "http://hop:flag-secret@proxy.corp.example:3128");
    ProxyConfig fromFlag = cl.applyTo(ProxyConfig.DEFAULTS);
    assertEquals("hop:flag-secret", fromFlag.parents().list().get(0).inlineCredentials());
    assertFalse(ConfigLoader.toYaml(fromFlag).contains("flag-secret"));
    assertFalse(cl.toString().contains("flag-secret"), cl.toString());
    io.hopwise.app.UsageException bad = assertThrows(io.hopwise.app.UsageException.class,
        () -> CommandLine.parse("--parent", "proxy.corp.example:3128"));
    assertTrue(bad.getMessage().startsWith("--parent: parent parent: url must be http://host:port"), bad.getMessage());
  }

  /** Found writing bench/tunnel.sh: an unquoted "sniCheck: off" is YAML's false, and was refused. */
  @Test
  void anUnquotedOffIsOffForSniCheck() throws Exception {
    assertEquals(io.hopwise.policy.SniCheck.Mode.OFF, ConfigLoader.load(write("connect:\n  sniCheck: off\n")).connect().sniCheck());
  }

  @Test
  void mistakesAreOneLineNamingTheKey() throws Exception {
    Path missing = dir.resolve("nope.auth");
    assertEquals(dir.resolve("proxy.yaml") + ": parents.list[0].credentialsFile: cannot read " + missing + " (" + missing + ")",
        assertThrows(ConfigException.class, () -> options(write("""
            parents:
              list: [{name: corp, url: "http://p:3128", credentialsFile: %s}]
            """.formatted(missing)), Map.of())).getMessage());
    assertEquals(dir.resolve("proxy.yaml") + ": parents.list[0].credentialsEnv: the variable CORP_AUTH is not set",
        assertThrows(ConfigException.class, () -> options(write("""
            parents:
              list: [{name: corp, url: "http://p:3128", credentialsEnv: CORP_AUTH}]
            """), Map.of())).getMessage());
    String noColon = assertThrows(ConfigException.class, () -> options(write("""
        parents:
          list: [{name: corp, url: "http://p:3128", credentialsEnv: CORP_AUTH}]
        """), Map.of("CORP_AUTH", "justapassword"))).getMessage();
    assertTrue(noColon.endsWith("parents.list[0].credentialsEnv: CORP_AUTH must hold user:password (it does not; its value is not shown)"),
        noColon);
    assertFalse(noColon.contains("justapassword"));
    String unknown = assertThrows(ConfigException.class, () -> ConfigLoader.load(write("""
        parents:
          list: [{name: corp, url: "http://p:3128"}]
          default: corpp
        """))).getMessage();
    assertTrue(unknown.contains("default: no parent named 'corpp'"), unknown);
  }
}
