package io.hopwise.app;

import io.hopwise.HopwiseProxy;
import io.hopwise.ProxyListener;
import io.hopwise.ProxyOptions;
import io.hopwise.app.config.ConfigException;
import io.hopwise.app.config.ConfigLoader;
import io.hopwise.app.config.HostPort;
import io.hopwise.app.config.ProxyConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.PrintStream;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The hopwise command: read the command line and config, start the proxy, stop it on SIGTERM or
 * Ctrl-C. Exit codes: 1 when the proxy cannot start, 2 for a bad command line or config.
 */
public final class Main {
  static final int EXIT_START_FAILED = 1;
  static final int EXIT_USAGE = 2;
  private static final long START_TIMEOUT_SECONDS = 30;
  private static final long STOP_TIMEOUT_MILLIS = 5000;

  private Main() {}

  public static void main(String[] args) {
    int code = run(args, System.out, System.err);
    // On success the proxy's event-loop threads keep the JVM alive; only errors exit here.
    if (code != 0) {
      System.exit(code);
    }
  }

  /**
   * Does everything but exit. Returns non-zero on error (the message already printed to {@code err}),
   * or 0 after {@code --help} or once the proxy is listening.
   */
  static int run(String[] args, PrintStream out, PrintStream err) {
    CommandLine cl;
    try {
      cl = CommandLine.parse(args);
    } catch (UsageException e) {
      err.println("hopwise: " + e.getMessage() + " (try --help)");
      return EXIT_USAGE;
    }
    if (cl.help()) {
      out.print(CommandLine.USAGE);
      return 0;
    }
    ProxyConfig config;
    ProxyOptions options;
    try {
      config = cl.applyTo(cl.configExplicit()
          ? ConfigLoader.load(cl.configFile())
          : ConfigLoader.loadIfPresent(cl.configFile()));
      options = config.toProxyOptions();
    } catch (ConfigException e) {
      err.println("hopwise: " + e.getMessage());
      return EXIT_USAGE;
    }
    if (cl.admin() != null) {
      err.println("hopwise: admin server not implemented yet; --admin ignored");
    }
    return start(config, options, out, err);
  }

  private static int start(ProxyConfig config, ProxyOptions options, PrintStream out, PrintStream err) {
    Vertx vertx = Vertx.vertx();
    HopwiseProxy proxy;
    try {
      proxy = await(HopwiseProxy.start(vertx, options, ProxyListener.NONE), START_TIMEOUT_SECONDS * 1000);
    } catch (ExecutionException | TimeoutException e) {
      Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
      err.println("hopwise: cannot listen on " + config.listen() + ": " + message(cause));
      closeQuietly(vertx);
      return EXIT_START_FAILED;
    } catch (RuntimeException e) {
      err.println("hopwise: cannot start: " + message(e));
      closeQuietly(vertx);
      return EXIT_START_FAILED;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      closeQuietly(vertx);
      return EXIT_START_FAILED;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(proxy, vertx), "hopwise-shutdown"));
    HostPort bound = new HostPort(config.listen().host(), proxy.port());
    out.println("hopwise listening on " + bound + " (mode " + config.mode() + ")");
    return 0;
  }

  /** Closes the proxy (stop accepting, let connections finish), then Vert.x, within ~5 s in all. */
  private static void stop(HopwiseProxy proxy, Vertx vertx) {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(STOP_TIMEOUT_MILLIS);
    try {
      // Keep the last second for Vert.x itself.
      await(proxy.close(), Math.max(0, remainingMillis(deadline) - 1000));
    } catch (Exception e) {
      System.err.println("hopwise: proxy did not close cleanly: " + message(e));
    }
    try {
      await(vertx.close(), Math.max(100, remainingMillis(deadline)));
    } catch (Exception e) {
      System.err.println("hopwise: vert.x did not close cleanly: " + message(e));
    }
  }

  private static <T> T await(Future<T> future, long millis)
      throws InterruptedException, ExecutionException, TimeoutException {
    return future.toCompletionStage().toCompletableFuture().get(millis, TimeUnit.MILLISECONDS);
  }

  private static void closeQuietly(Vertx vertx) {
    try {
      await(vertx.close(), 2000);
    } catch (Exception ignored) {
      // Exiting anyway.
    }
  }

  private static long remainingMillis(long deadlineNanos) {
    return TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime());
  }

  private static String message(Throwable t) {
    if (t instanceof TimeoutException) {
      return "timed out";
    }
    if (t instanceof ExecutionException && t.getCause() != null) {
      t = t.getCause();
    }
    return t.getMessage() != null ? t.getMessage() : t.getClass().getSimpleName();
  }
}
