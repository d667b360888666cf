package io.hopwise.app.reload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The file watch, on real files laid out as the kubelet lays out a mounted ConfigMap
 * ({@code proxy.yaml -> ..data/proxy.yaml}, {@code ..data -> ..<version>}), updated as it updates
 * one: a new version directory, a {@code ..data_tmp} link renamed over {@code ..data}.
 */
class ReloadTriggersTest {
  @TempDir
  Path dir;
  private Path config;
  private int version;

  @BeforeEach
  void mount() throws Exception {
    publish("listen: 127.0.0.1:3128\n");
    config = dir.resolve("proxy.yaml");
    Files.createSymbolicLink(config, Path.of("..data/proxy.yaml"));
  }

  /** The kubelet's atomic update: the new version in a directory of its own, then the link swap. */
  private void publish(String yaml) throws Exception {
    String name = "..2026_12_06_" + (++version);
    Files.createDirectory(dir.resolve(name));
    Files.writeString(dir.resolve(name).resolve("proxy.yaml"), yaml);
    Path tmp = dir.resolve("..data_tmp");
    Files.createSymbolicLink(tmp, Path.of(name));
    Files.move(tmp, dir.resolve("..data"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  @Test
  void aSymlinkSwapChangesTheStampEvenWithTheSameSizeAndContent() throws Exception {
    List<Object> before = ReloadTriggers.stamps(List.of(config));
    assertEquals(before, ReloadTriggers.stamps(List.of(config)), "nothing changed, nothing seen");
    publish("listen: 127.0.0.1:3128\n");
    assertNotEquals(before, ReloadTriggers.stamps(List.of(config)), "another file behind the same path");
  }

  @Test
  void aMissingFileHasAStampOfItsOwn() {
    assertEquals(List.of("missing"), ReloadTriggers.stamps(List.of(dir.resolve("absent.yaml"))));
  }

  @Test
  void theWatchReloadsOncePerSwapAndNotWithoutOne() throws Exception {
    BlockingQueue<String> reloads = new LinkedBlockingQueue<>();
    try (ReloadTriggers triggers = new ReloadTriggers(reloads::add, () -> List.of(config)).watch(Duration.ofMillis(20))) {
      assertNull(reloads.poll(200, TimeUnit.MILLISECONDS), "no change, no reload");
      publish("listen: 127.0.0.1:3129\n");
      assertEquals("change of " + config, reloads.poll(5, TimeUnit.SECONDS));
      assertNull(reloads.poll(200, TimeUnit.MILLISECONDS), "one reload for one swap");
      Files.writeString(dir.resolve("..data").resolve("proxy.yaml"), "listen: 127.0.0.1:3130\n");
      assertEquals("change of " + config, reloads.poll(5, TimeUnit.SECONDS), "an edit in place shows too");
    }
  }

  @Test
  void theCredentialsFileIsWatchedToo() throws Exception {
    Path users = dir.resolve("users");
    Files.writeString(users, "alice:x\n");
    BlockingQueue<String> reloads = new LinkedBlockingQueue<>();
    try (ReloadTriggers triggers = new ReloadTriggers(reloads::add, () -> List.of(config, users)).watch(Duration.ofMillis(20))) {
      assertNull(reloads.poll(200, TimeUnit.MILLISECONDS));
      Files.writeString(users, "alice:x\nbob:y\n");
      assertEquals("change of " + users, reloads.poll(5, TimeUnit.SECONDS));
    }
  }
}
