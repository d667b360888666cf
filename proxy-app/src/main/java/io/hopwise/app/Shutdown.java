package io.hopwise.app;

import io.hopwise.HopwiseProxy;
import io.hopwise.app.admin.AdminServer;
import io.hopwise.app.admin.Readiness;
import io.hopwise.app.config.ShutdownConfig;
import io.vertx.core.Vertx;
import java.io.PrintStream;
import java.util.concurrent.atomic.AtomicBoolean;
import sun.misc.Signal;

/**
 * Graceful drain on SIGTERM and SIGINT (Kubernetes sends SIGTERM, then SIGKILL after the grace
 * period): /readyz turns 503 at once; after {@code delay} (time for the endpoints to update) the
 * proxy stops accepting; requests in flight get up to {@code drainTimeout}; keep-alive clients
 * get Connection: close; then exit 0. The signal handler, not a shutdown hook, so the exit code is
 * ours (a hook would leave the JVM's 143).
 */
final class Shutdown {
  private final HopwiseProxy proxy;
  private final AdminServer admin;
  private final Vertx vertx;
  private final Readiness readiness;
  /** The shutdown settings in force when the signal comes (a reload may change them). */
  private final java.util.function.Supplier<ShutdownConfig> settings;
  private final PrintStream err;
  private final Runnable flushLogs;
  private final AtomicBoolean started = new AtomicBoolean();

  Shutdown(HopwiseProxy proxy, AdminServer admin, Vertx vertx, Readiness readiness,
      java.util.function.Supplier<ShutdownConfig> settings, PrintStream err, Runnable flushLogs) {
    this.flushLogs = flushLogs;
    this.proxy = proxy;
    this.admin = admin;
    this.vertx = vertx;
    this.readiness = readiness;
    this.settings = settings;
    this.err = err;
  }

  void install() {
    Signal.handle(new Signal("TERM"), s -> begin("SIGTERM"));
    Signal.handle(new Signal("INT"), s -> begin("SIGINT"));
  }

  private void begin(String why) {
    if (!started.compareAndSet(false, true)) {
      return;
    }
    ShutdownConfig config = settings.get();
    Thread t = new Thread(() -> {
      err.println("hopwise: " + why + ": draining (readiness off, stop accepting in "
          + config.delay().toMillis() + " ms, drain up to " + config.drainTimeout().toMillis() + " ms)");
      readiness.draining();
      int code = 0;
      try {
        Thread.sleep(config.delay().toMillis());
        Main.await(proxy.drain(config.drainTimeout()), config.drainTimeout().toMillis() + 5000);
        Main.await(proxy.close(), 5000);
        Main.await(admin.close(), 2000);
        Main.await(vertx.close(), 5000);
        err.println("hopwise: stopped");
      } catch (Exception e) {
        err.println("hopwise: did not stop cleanly: " + Main.message(e));
        code = 1;
      }
      flushLogs.run();
      Runtime.getRuntime().halt(code);
    }, "hopwise-shutdown");
    t.start();
  }
}
