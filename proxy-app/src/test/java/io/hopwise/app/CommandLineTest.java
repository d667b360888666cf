package io.hopwise.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hopwise.app.config.HostPort;
import io.hopwise.ProxyOptions.Mode;
import io.hopwise.app.config.ProxyConfig;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class CommandLineTest {
  @Test
  void noArgumentsMeansDefaultConfigAndNoOverrides() throws Exception {
    assertEquals(new CommandLine(Path.of("conf/proxy.yaml"), false, null, null, null, false, false, null),
        CommandLine.parse());
  }

  @Test
  void flagsWithSeparateValues() throws Exception {
    assertEquals(
        new CommandLine(Path.of("/etc/hopwise.yaml"), true, new HostPort("0.0.0.0", 8080),
            new HostPort("::1", 9000), Mode.SMART, false, false, null),
        CommandLine.parse("--config", "/etc/hopwise.yaml", "--listen", "0.0.0.0:8080",
            "--admin", "[::1]:9000", "--mode", "smart"));
  }

  @Test
  void flagsWithEqualsValues() throws Exception {
    assertEquals(
        new CommandLine(Path.of("a=b.yaml"), true, new HostPort("::1", 3128),
            new HostPort("127.0.0.1", 0), Mode.SMART, false, false, null),
        CommandLine.parse("--config=a=b.yaml", "--listen=[::1]:3128", "--admin=127.0.0.1:0",
            "--mode=smart"));
  }

  @Test
  void checkConfigFlag() throws Exception {
    assertEquals(true, CommandLine.parse("--check-config").checkConfig());
    assertEquals(false, CommandLine.parse().checkConfig());
  }

  @Test
  void lastRepeatedFlagWins() throws Exception {
    assertEquals(new HostPort("h", 2), CommandLine.parse("--listen", "h:1", "--listen=h:2").listen());
  }

  @Test
  void help() throws Exception {
    assertTrue(CommandLine.parse("--help").help());
    assertTrue(CommandLine.parse("--listen", "h:1", "-h").help());
    assertFalse(CommandLine.parse().help());
  }

  @Test
  void modeDumbIsParsed() throws Exception {
    // Accepted by the parser: refusing it is Main's job (see MainTest), wherever the mode came from.
    assertEquals(Mode.DUMB, CommandLine.parse("--mode", "dumb").mode());
  }

  @Test
  void flagsOverrideTheConfigFile() throws Exception {
    ProxyConfig file = ProxyConfig.DEFAULTS
        .withListen(new HostPort("10.0.0.1", 1000))
        .withAdmin(new HostPort("10.0.0.1", 2000))
        .withMode(Mode.DUMB);
    ProxyConfig merged = CommandLine.parse("--listen", "127.0.0.1:3000", "--mode", "smart").applyTo(file);
    assertEquals(new HostPort("127.0.0.1", 3000), merged.listen());
    assertEquals(Mode.SMART, merged.mode());
    assertEquals(new HostPort("10.0.0.1", 2000), merged.admin()); // not given: the file's value stays
    assertEquals(file.upstream(), merged.upstream());
    assertEquals(file, CommandLine.parse().applyTo(file));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource
  void rejects(String name, String[] args, String message) {
    UsageException e = assertThrows(UsageException.class, () -> CommandLine.parse(args));
    assertEquals(message, e.getMessage());
  }

  static Stream<Arguments> rejects() {
    return Stream.of(
        Arguments.of("unknown flag", new String[] {"--lisen", "h:1"}, "unknown option '--lisen'"),
        Arguments.of("unknown flag with =", new String[] {"--port=3128"}, "unknown option '--port'"),
        Arguments.of("unknown short flag", new String[] {"-v"}, "unknown option '-v'"),
        Arguments.of("positional argument", new String[] {"proxy.yaml"}, "unexpected argument 'proxy.yaml'"),
        Arguments.of("missing value at end", new String[] {"--listen"}, "--listen needs a value"),
        Arguments.of("missing value before flag", new String[] {"--config", "--mode", "smart"},
            "--config needs a value"),
        Arguments.of("empty = value", new String[] {"--mode="}, "--mode needs a value"),
        Arguments.of("bad listen", new String[] {"--listen", "x"}, "--listen: expected HOST:PORT, got 'x'"),
        Arguments.of("bad admin", new String[] {"--admin=9901"}, "--admin: expected HOST:PORT, got '9901'"),
        Arguments.of("bad mode", new String[] {"--mode", "fast"}, "--mode: expected smart or dumb, got 'fast'"),
        Arguments.of("help with value", new String[] {"--help=yes"}, "--help takes no value"));
  }
}
