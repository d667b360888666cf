package io.hopwise.app.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hopwise.app.UsageException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The lab's command line and its refusal to run where it cannot (issue 25). */
class LabOptionsTest {
  @Test
  void defaults() throws Exception {
    LabOptions o = LabOptions.parse(List.of());
    assertEquals(Duration.ofMillis(50), o.rtt());
    assertEquals(0, o.loss());
    assertEquals(20, o.requests());
    assertEquals(100_000_000L, o.bitsPerSecond());
    assertEquals(Path.of("lab-out"), o.out());
    assertTrue(o.runs("handshake"));
  }

  @Test
  void everyOption() throws Exception {
    LabOptions o = LabOptions.parse(List.of("--rtt", "120ms", "--loss=1.5%", "--only", "handshake", "--requests", "5",
        "--out", "/tmp/x", "--rate", "10mbit"));
    assertEquals(10_000_000L, o.bitsPerSecond());
    assertEquals(Duration.ofMillis(120), o.rtt());
    assertEquals(0.015, o.loss(), 1e-9);
    assertEquals(Set.of("handshake"), o.only());
    assertEquals(5, o.requests());
    assertEquals(Path.of("/tmp/x"), o.out());
  }

  static Stream<Arguments> mistakes() {
    return Stream.of(
        Arguments.of(List.of("--only", "nagel"), "lab: --only: no experiment named 'nagel' (there are: "),
        Arguments.of(List.of("--rtt", "fast"), "lab: --rtt: "),
        Arguments.of(List.of("--rtt", "3s"), "lab: --rtt must be between 0 and 2s, got 3s"),
        Arguments.of(List.of("--loss", "60%"), "lab: --loss must be between 0% and 50%, got 60%"),
        Arguments.of(List.of("--loss", "some"), "lab: --loss takes a percentage, e.g. 1%, got 'some'"),
        Arguments.of(List.of("--requests", "0"), "lab: --requests must be 1-10000, got '0'"),
        Arguments.of(List.of("--out"), "lab: --out needs a value"),
        Arguments.of(List.of("--rate", "fast"), "lab: --rate takes Mbit/s from 0 (no limit) to 10000, got 'fast'"),
        Arguments.of(List.of("--fast"), "lab: unknown option '--fast'"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("mistakes")
  void aMistakeIsOneLine(List<String> args, String message) {
    UsageException e = assertThrows(UsageException.class, () -> LabOptions.parse(args));
    assertTrue(e.getMessage().startsWith(message), e.getMessage());
  }

  @Test
  void refusesClearlyWhereItCannotRun(@TempDir Path dir) throws Exception {
    Path tun = java.nio.file.Files.createFile(dir.resolve("tun"));
    assertTrue(LabNetwork.cannotRun(1000, tun, true).startsWith("needs root: it makes network namespaces and TUN devices"));
    assertEquals("needs " + dir.resolve("none") + " (TUN devices): load the tun module or run where it exists",
        LabNetwork.cannotRun(0, dir.resolve("none"), true));
    assertEquals("needs the ip command (Debian: apt-get install iproute2)", LabNetwork.cannotRun(0, tun, false));
    assertNull(LabNetwork.cannotRun(0, tun, true));
  }

  /** --only names what Lab runs, in the same order (the list the help shows and the one that runs are two). */
  @Test
  void theNamesTheOptionsKnowAreTheExperimentsTheLabRuns() {
    assertEquals(LabOptions.EXPERIMENTS, Lab.EXPERIMENTS.stream().map(Experiment::name).toList());
  }

  @Test
  void aMedianIsTheMiddleOrTheMeanOfTheTwoMiddles() {
    assertEquals(2.0, Stats.of(new long[] {3_000_000, 1_000_000, 2_000_000}).medianMs());
    assertEquals(2.5, Stats.of(new long[] {4_000_000, 1_000_000, 2_000_000, 3_000_000}).medianMs());
    assertTrue(Double.isNaN(Stats.of(new long[0]).medianMs()));
  }
}
