package io.hopwise.app.reload;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import sun.misc.Signal;

/**
 * What starts a reload, on one thread of its own (never an event loop: reading a file blocks):
 * SIGHUP, as nginx, HAProxy and Squid take it, and a change of the files the configuration comes
 * from. Kubernetes updates a mounted ConfigMap or Secret by swapping a symlink ({@code ..data}), so
 * a file is followed through its links and compared by what it is (device and inode), its size and
 * its modification time, every {@code period}: a swap, an edit in place and a new file all show.
 * The watch reads metadata only; the file itself is read when it changed.
 */
public final class ReloadTriggers implements AutoCloseable {
  /** Reloads; told what triggered it ("SIGHUP", "change of /etc/hopwise/proxy.yaml"). */
  private final java.util.function.Consumer<String> reload;
  private final Supplier<List<Path>> files;
  private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "hopwise-reload");
    t.setDaemon(true);
    return t;
  });
  private List<Object> seen;

  /** @param files the files the configuration in force was read from (the config file, the credentials file) */
  public ReloadTriggers(java.util.function.Consumer<String> reload, Supplier<List<Path>> files) {
    this.reload = reload;
    this.files = files;
  }

  /** Handles SIGHUP and starts watching the files. */
  public ReloadTriggers start(java.time.Duration period) {
    Signal.handle(new Signal("HUP"), s -> thread.execute(() -> {
      reload.accept("SIGHUP");
      seen = stamps(files.get()); // an edit the signal announced is read: no second reload for it
    }));
    return watch(period);
  }

  /** Starts watching the files only (tests: SIGHUP is the test JVM's). */
  ReloadTriggers watch(java.time.Duration period) {
    thread.execute(() -> seen = stamps(files.get()));
    thread.scheduleWithFixedDelay(this::check, period.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS);
    return this;
  }

  private void check() {
    List<Path> paths = files.get();
    List<Object> now = stamps(paths);
    if (!now.equals(seen)) {
      String changed = "change of " + changed(paths, seen, now);
      reload.accept(changed);
      seen = stamps(files.get()); // the files of what is in force now (a reload may name another)
    }
  }

  private static String changed(List<Path> paths, List<Object> before, List<Object> now) {
    for (int i = 0; i < paths.size(); i++) {
      if (before == null || i >= before.size() || !Objects.equals(before.get(i), now.get(i))) {
        return paths.get(i).toString();
      }
    }
    return "the files";
  }

  /** One stamp per file: what it is after its links, its size and modification time; or that it is missing. */
  static List<Object> stamps(List<Path> paths) {
    List<Object> stamps = new ArrayList<>();
    for (Path p : paths) {
      try {
        BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
        stamps.add(List.of(String.valueOf(a.fileKey()), a.size(), a.lastModifiedTime()));
      } catch (NoSuchFileException e) {
        stamps.add("missing");
      } catch (IOException e) {
        stamps.add("unreadable: " + e.getMessage());
      }
    }
    return stamps;
  }

  @Override
  public void close() {
    thread.shutdownNow();
  }
}
