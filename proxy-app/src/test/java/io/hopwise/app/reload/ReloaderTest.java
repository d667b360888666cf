package io.hopwise.app.reload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hopwise.HopwiseProxy;
import io.hopwise.ProxyListener;
import io.hopwise.app.config.ConfigLoader;
import io.hopwise.app.config.ProxyConfig;
import io.hopwise.server.ProxyServer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reloads of a real file into a real proxy: applied, refused, and what each says and counts. */
class ReloaderTest {
  @TempDir
  Path dir;
  private Path file;
  private Vertx vertx;
  private HopwiseProxy proxy;
  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
  private final List<ProxyConfig> shown = new ArrayList<>();
  private Reloader reloader;

  @BeforeEach
  void start() throws Exception {
    file = dir.resolve("proxy.yaml");
    Files.writeString(file, "listen: 127.0.0.1:0\neventLoops: 1\n");
    ProxyConfig config = ConfigLoader.load(file);
    vertx = Vertx.vertx();
    proxy = ProxyServer.start(vertx, config.toProxyOptions(), ProxyListener.NONE)
        .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    reloader = new Reloader(() -> ConfigLoader.load(file), config, proxy, shown::add, registry,
        new PrintStream(errBytes, true, StandardCharsets.UTF_8));
  }

  @AfterEach
  void stop() throws Exception {
    proxy.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private String err() {
    return errBytes.toString(StandardCharsets.UTF_8);
  }

  private double reloads(String result) {
    return registry.get("hopwise.config.reloads").tag("result", result).counter().count();
  }

  @Test
  void aGoodFileIsPutInForceAndShown() throws Exception {
    Files.writeString(file, "listen: 127.0.0.1:0\neventLoops: 1\naccessLog: squid\nroles:\n  static: app\n"
        + "  list: [{name: app, mode: enforce, allow: [example.org]}]\n");
    assertEquals(Reloader.Outcome.APPLIED, reloader.reload("test"));
    assertEquals("app", proxy.options().roles().staticRole());
    assertEquals(ProxyConfig.AccessLogFormat.SQUID, shown.get(0).accessLog());
    assertSame(reloader.running(), shown.get(0));
    assertEquals(1.0, reloads("applied"));
    assertEquals(0.0, reloads("refused"));
    assertTrue(err().matches("hopwise: reload \\(test\\) applied: sha256 [0-9a-f]{12} in force for new requests and tunnels\n"), err());
  }

  @Test
  void aBrokenFileIsRefusedWithItsOneLineErrorAndTheRunningConfigurationStays() throws Exception {
    var before = proxy.options();
    ProxyConfig running = reloader.running();
    Files.writeString(file, "listen: 127.0.0.1:0\nroles:\n  list: [{name: app, mode: block}]\n");
    assertEquals(Reloader.Outcome.REFUSED, reloader.reload("SIGHUP"));
    assertSame(before, proxy.options());
    assertSame(running, reloader.running());
    assertTrue(shown.isEmpty());
    assertEquals(1.0, reloads("refused"));
    assertEquals(0.0, registry.get("hopwise.config.last.reload.successful").gauge().value());
    assertEquals("hopwise: reload (SIGHUP) refused: " + file + ": roles.list[0].mode: must be enforce, report or open,"
        + " got 'block'; the running configuration stays\n", err());
  }

  @Test
  void aMissingCredentialsFileIsRefusedToo() throws Exception {
    Files.writeString(file, "listen: 127.0.0.1:0\neventLoops: 1\nsecurity:\n  authFile: " + dir.resolve("nobody") + "\n");
    assertEquals(Reloader.Outcome.REFUSED, reloader.reload("test"));
    assertTrue(err().contains("security.authFile: cannot read " + dir.resolve("nobody")), err());
  }

  @Test
  void aListenChangeIsNamedAndTheRestApplies() throws Exception {
    Files.writeString(file, "listen: 127.0.0.1:1\neventLoops: 1\nroles:\n  static: app\n  list: [{name: app}]\n");
    assertEquals(Reloader.Outcome.APPLIED, reloader.reload("test"));
    assertEquals("app", proxy.options().roles().staticRole());
    assertEquals(0, proxy.options().port(), "the port in force is kept");
    assertTrue(err().endsWith("; listen: 127.0.0.1:1 needs a restart (kept 127.0.0.1:0)\n"), err());
  }

  @Test
  void theSameFileAgainSaysNoChange() {
    assertEquals(Reloader.Outcome.APPLIED, reloader.reload("SIGHUP"));
    assertTrue(err().contains(" (no change) "), err());
  }
}
