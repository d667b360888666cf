package io.hopwise.app.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** What a reload applies and what needs a restart, as a table of named cases (issue 26). */
class ReloadPlanTest {
  private static final String RUNNING = """
      listen: 127.0.0.1:3128
      admin: 127.0.0.1:9901
      accessLog: json
      """;

  @TempDir
  static Path dir;

  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of("nothing changed", RUNNING, List.of()),
        Arguments.of("rules, limits, timeouts and the log apply", RUNNING.replace("json", "squid") + """
            limits:
              maxRequestBodyBytes: 10
            upstream:
              responseTimeout: 30s
            connect:
              ports: [443]
            access:
              denyHosts: [example.com]
            roles:
              static: app
              list: [{name: app, mode: report, allow: [example.org]}]
            shutdown:
              delay: 1s
            """, List.of()),
        Arguments.of("listen needs a restart", RUNNING.replace("3128", "3129"),
            List.of("listen: 127.0.0.1:3129 needs a restart (kept 127.0.0.1:3128)")),
        Arguments.of("admin, mode, event loops, transport, series and CA file need a restart", RUNNING.replace("9901", "9902") + """
            mode: dumb
            eventLoops: 3
            transport: nio
            metrics:
              destinations: 7
            upstream:
              caFile: CA
            """, List.of("admin: 127.0.0.1:9902 needs a restart (kept 127.0.0.1:9901)",
                "mode: dumb needs a restart (kept smart)", "eventLoops: 3 needs a restart (kept 0)",
                "transport: nio needs a restart (kept auto)", "metrics.destinations: 7 needs a restart (kept 50)",
                "upstream.caFile: CA needs a restart (kept null)")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void plan(String name, String loadedYaml, List<String> needRestart) throws Exception {
    ProxyConfig running = load(RUNNING);
    ProxyConfig loaded = load(loadedYaml);
    ReloadPlan plan = ReloadPlan.between(running, loaded);
    assertEquals(needRestart, plan.needRestart().stream().map(s -> s.replace(dir.resolve("ca.pem").toString(), "CA")).toList());
    // What needs a restart keeps the running value; everything else is the loaded file's.
    ProxyConfig expected = new ProxyConfig(running.listen(), running.admin(), running.mode(), loaded.pseudonym(),
        running.eventLoops(), loaded.limits(), plan.applied().upstream(), loaded.client(), loaded.connect(),
        loaded.accessLog(), loaded.shutdown(), loaded.access(), loaded.security(), loaded.roles(), loaded.parents(), loaded.view(), running.metrics(),
        running.transport());
    assertEquals(expected, plan.applied());
    assertEquals(running.upstream().caFile(), plan.applied().upstream().caFile());
    assertEquals(loaded.upstream().responseTimeout(), plan.applied().upstream().responseTimeout());
  }

  private static ProxyConfig load(String yaml) throws IOException, ConfigException {
    Path ca = dir.resolve("ca.pem");
    if (!Files.exists(ca)) {
      Files.writeString(ca, "not read until a connector is built\n");
    }
    Path f = Files.createTempFile(dir, "proxy", ".yaml");
    Files.writeString(f, yaml.replace("caFile: CA", "caFile: " + ca));
    return ConfigLoader.load(f);
  }
}
