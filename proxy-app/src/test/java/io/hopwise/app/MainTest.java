package io.hopwise.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hopwise.app.config.ConfigLoader;
import io.hopwise.io.TransportChoice;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The error paths of {@link Main#run}: exit code and exact output, without exiting or starting. */
class MainTest {
  @TempDir Path dir;
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(String... args) {
    return Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  private String out() {
    return out.toString(StandardCharsets.UTF_8);
  }

  private String err() {
    return err.toString(StandardCharsets.UTF_8);
  }

  private static String line(String s) {
    return s + System.lineSeparator();
  }

  @Test
  void helpPrintsUsageAndSucceeds() {
    assertEquals(0, run("--help"));
    assertEquals(CommandLine.USAGE, out());
    assertEquals("", err());
  }

  @Test
  void unknownFlagIsAUsageError() {
    assertEquals(2, run("--verbose"));
    assertEquals(line("hopwise: unknown option '--verbose' (try --help)"), err());
    assertEquals("", out());
  }

  @Test
  void missingValueIsAUsageError() {
    assertEquals(2, run("--listen"));
    assertEquals(line("hopwise: --listen needs a value (try --help)"), err());
  }

  @Test
  void explicitConfigFileMustExist() {
    Path file = dir.resolve("missing.yaml");
    assertEquals(2, run("--config", file.toString()));
    assertEquals(line("hopwise: " + file + ": cannot read file (No such file or directory)"), err());
    assertEquals("", out());
  }

  @Test
  void configErrorIsOneLine() throws Exception {
    Path file = Files.writeString(dir.resolve("proxy.yaml"), "upstream:\n  maxConections: 3\n");
    assertEquals(2, run("--config=" + file, "--admin", "127.0.0.1:1"));
    assertEquals(line("hopwise: " + file + ": unknown key 'upstream.maxConections'"), err());
  }

  @Test
  void checkConfigPrintsTheEffectiveConfigAndExits() throws Exception {
    Path file = Files.writeString(dir.resolve("proxy.yaml"), "upstream:\n  connectTimeout: 3s\n");
    assertEquals(0, run("--config", file.toString(), "--check-config", "--listen", "127.0.0.1:4000"));
    String out = out();
    assertTrue(out.contains("listen: 127.0.0.1:4000\n"), out);
    assertTrue(out.contains("  connectTimeout: 3s\n"), out);
    assertTrue(out.endsWith("# config OK\n"), out);
    // auto's choice on this machine (epoll, never io_uring: issue 22), with its reason when it passes epoll over
    String transport = io.vertx.core.transport.Transport.EPOLL.available() ? "epoll\n" : "nio (epoll unavailable: ";
    assertTrue(out.contains("\n# transport here: " + transport), out);
  }

  @Test
  void checkConfigNamesTheTransportThisMachineWouldRun() throws Exception {
    Path file = Files.writeString(dir.resolve("proxy.yaml"), "transport: nio\n");
    assertEquals(0, run("--config", file.toString(), "--check-config"));
    assertTrue(out().endsWith("# transport here: nio\n# config OK\n"), out());
  }

  @Test
  void checkConfigGivesAutosReasonForPassingATransportOver() throws Exception {
    Path file = Files.writeString(dir.resolve("proxy.yaml"), "transport: auto\n");
    int code = Main.checkConfig(ConfigLoader.load(file), printer(out), printer(err), kind -> {
      assertEquals(TransportChoice.Kind.AUTO, kind);
      return new TransportChoice.Chosen(TransportChoice.Kind.NIO, "epoll unavailable: refused");
    });
    assertEquals(0, code);
    assertTrue(
        out().endsWith("# transport here: nio (epoll unavailable: refused)\n# config OK\n"), out());
  }

  /** A transport named in the config fails the check where it cannot run, as it fails the start. */
  @Test
  void checkConfigFailsForANamedTransportThisMachineCannotRun() throws Exception {
    Path file = Files.writeString(dir.resolve("proxy.yaml"), "transport: io_uring\n");
    int code = Main.checkConfig(ConfigLoader.load(file), printer(out), printer(err), kind ->
        TransportChoice.choose(kind, "failed to create io_uring ring fd: Operation not permitted", null));
    assertEquals(1, code);
    assertEquals(line("hopwise: the config is valid, but transport io_uring is unavailable here: "
        + "failed to create io_uring ring fd: Operation not permitted"), err());
    assertFalse(out().contains("# config OK"), out());
    assertTrue(out().contains("transport: io_uring\n"), out());
  }

  private static PrintStream printer(ByteArrayOutputStream bytes) {
    return new PrintStream(bytes, true, StandardCharsets.UTF_8);
  }

  @Test
  void hashPasswordPrintsAFileLineThatAuthenticates() throws Exception {
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    int code = Main.hashPassword("alice", new java.io.ByteArrayInputStream("pw123\n".getBytes()),
        new PrintStream(bytes, true), new PrintStream(new java.io.ByteArrayOutputStream()));
    assertEquals(0, code);
    String line = bytes.toString().trim();
    assertTrue(line.startsWith("alice:pbkdf2-sha256:"), line);
    var auth = io.hopwise.policy.BasicAuth.parseFile(java.util.List.of(line));
    String header = "Basic " + java.util.Base64.getEncoder().encodeToString("alice:pw123".getBytes());
    assertTrue(auth.authenticate(header).authenticated());
  }

  @Test
  void badModeIsAUsageError() throws Exception {
    Path file = Files.writeString(dir.resolve("proxy.yaml"), "");
    assertEquals(2, run("--config", file.toString(), "--mode", "clever"));
    assertEquals(line("hopwise: --mode: expected smart or dumb, got 'clever' (try --help)"), err());
    assertEquals("", out());
  }
}
