package io.hopwise.app;

import io.hopwise.HopwiseProxy;
import io.hopwise.PoolStats;
import io.hopwise.ProxyListener;
import io.hopwise.ProxyOptions;
import io.hopwise.app.admin.AdminServer;
import io.hopwise.app.admin.Readiness;
import io.hopwise.app.config.ConfigException;
import io.hopwise.app.config.ConfigLoader;
import io.hopwise.app.config.HostPort;
import io.hopwise.app.config.ProxyConfig;
import io.hopwise.app.log.AccessLog;
import io.hopwise.app.metrics.JvmMeters;
import io.hopwise.app.metrics.DestinationMetrics;
import io.hopwise.app.metrics.Listeners;
import io.hopwise.app.metrics.ProxyMetrics;
import io.hopwise.io.TransportChoice;
import io.hopwise.io.Transports;
import io.hopwise.server.ProxyServer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/**
 * The hopwise command: read the command line, config and environment, start the proxy and its
 * admin server, drain gracefully on SIGTERM or SIGINT. Exit codes: 0 after a clean stop, 1 when
 * the proxy cannot start (and from {@code --check-config}, when a transport the config names cannot
 * run here), 2 for a bad command line or config.
 */
public final class Main {
  static final int EXIT_START_FAILED = 1;
  static final int EXIT_USAGE = 2;
  private static final long START_TIMEOUT_SECONDS = 30;
  /** How often the config files' metadata is looked at: a ConfigMap change is in force within about this. */
  static final Duration RELOAD_WATCH_PERIOD = Duration.ofMillis(500);

  private Main() {}

  public static void main(String[] args) {
    if (args.length > 0 && args[0].equals("lab")) {
      // The lab (issue 25) runs its experiments and ends: it exits whatever its outcome.
      System.exit(io.hopwise.app.lab.Lab.run(List.of(args).subList(1, args.length), System.out, System.err));
    }
    int code = run(args, System.out, System.err);
    // On success the proxy's event-loop threads keep the JVM alive; only errors exit here.
    if (code != 0) {
      System.exit(code);
    }
  }

  /**
   * Does everything but exit. Returns non-zero on error (the message already printed to {@code err}),
   * or 0 after {@code --help}, {@code --check-config}, or once the proxy is listening.
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
    if (cl.hashPasswordUser() != null) {
      return hashPassword(cl.hashPasswordUser(), System.in, out, err);
    }
    ProxyConfig config;
    ProxyOptions options;
    io.hopwise.app.reload.Reloader.Source source = () -> cl.applyTo(cl.configExplicit()
        ? ConfigLoader.load(cl.configFile())
        : ConfigLoader.loadIfPresent(cl.configFile()));
    try {
      config = source.load();
      options = config.toProxyOptions();
    } catch (ConfigException e) {
      err.println("hopwise: " + e.getMessage());
      return EXIT_USAGE;
    }
    if (cl.checkConfig()) {
      return checkConfig(config, out, err, Transports::probe);
    }
    return start(config, options, out, err, source, cl.configFile());
  }

  /**
   * Prints the effective config, and the transport this machine would run it on: like nginx -t,
   * the check covers what the config asks of the machine it runs on, so a transport named in the
   * config that cannot run here fails the check as it would fail the start (exit 1). Run it where
   * the proxy will run: a pod's seccomp profile may refuse io_uring where a laptop allows it.
   */
  static int checkConfig(ProxyConfig config, PrintStream out, PrintStream err,
      Function<TransportChoice.Kind, TransportChoice.Chosen> probe) {
    out.print(ConfigLoader.toYaml(config));
    TransportChoice.Chosen transport;
    try {
      transport = probe.apply(config.transport());
    } catch (IllegalStateException e) {
      err.println("hopwise: the config is valid, but " + e.getMessage());
      return EXIT_START_FAILED;
    }
    out.println("# transport here: " + transport.kind()
        + (transport.fallback() == null ? "" : " (" + transport.fallback() + ")"));
    out.println("# config OK");
    return 0;
  }

  private static int start(ProxyConfig config, ProxyOptions options, PrintStream out, PrintStream err,
      io.hopwise.app.reload.Reloader.Source source, java.nio.file.Path configFile) {
    Transports.Started started;
    try {
      started = Transports.start(new io.vertx.core.VertxOptions(), config.transport());
    } catch (IllegalStateException e) {
      err.println("hopwise: " + e.getMessage());
      return EXIT_START_FAILED;
    }
    Vertx vertx = started.vertx();
    TransportChoice.Chosen transport = started.transport();
    if (transport.fallback() != null) {
      err.println("hopwise: transport auto: " + transport.kind() + " (" + transport.fallback() + ")");
    }
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    JvmMeters.bindTo(registry);
    Readiness readiness = new Readiness();
    // 1 from SIGTERM until the process exits: a drain that lasts is stuck (HopwiseDrainStuck).
    io.micrometer.core.instrument.Gauge.builder("hopwise.draining", readiness,
        r -> r.state() == Readiness.State.DRAINING ? 1 : 0).description("1 while draining after SIGTERM").register(registry);
    AtomicReference<HopwiseProxy> running = new AtomicReference<>();
    ProxyMetrics metrics = new ProxyMetrics(registry, config.mode().name().toLowerCase(Locale.ROOT),
        () -> running.get() == null ? PoolStats.ZERO : running.get().stats(), config.metrics().destinations() == 0 ? null
            : new DestinationMetrics(registry, config.metrics().destinations(), Duration.ofMinutes(1), System::nanoTime));
    // Buffered, flushed every second and at stop: a write system call per request on the event
    // loop (System.out flushes every line) cost about a quarter of the throughput in bench/run.sh.
    PrintStream logStream = out == System.out
        ? new PrintStream(new java.io.BufferedOutputStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), 1 << 16),
            false, java.nio.charset.StandardCharsets.UTF_8)
        : out;
    AccessLog accessLog = new AccessLog(AccessLog.Format.valueOf(config.accessLog().name()), logStream);
    // The access log listens even when off: a reload may turn it on.
    io.hopwise.app.metrics.ParentMetrics parentMetrics = new io.hopwise.app.metrics.ParentMetrics(registry,
        name -> running.get() != null && running.get().parentUp(name));
    parentMetrics.configured(parentNames(config));
    ProxyListener listener = Listeners.of(List.of(metrics, accessLog, parentMetrics));
    err.print("hopwise: effective configuration:\n" + ConfigLoader.toYaml(config));
    HopwiseProxy proxy;
    try {
      proxy = await(ProxyServer.start(vertx, options, listener), START_TIMEOUT_SECONDS * 1000);
      running.set(proxy);
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
    AdminServer admin = new AdminServer(vertx, registry, readiness, ConfigLoader.toYaml(config));
    int adminPort;
    try {
      adminPort = await(admin.start(config.admin().host(), config.admin().port()), START_TIMEOUT_SECONDS * 1000);
    } catch (ExecutionException | TimeoutException | InterruptedException e) {
      Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
      err.println("hopwise: cannot listen on admin address " + config.admin() + ": " + message(cause));
      closeQuietly(vertx);
      return EXIT_START_FAILED;
    }
    vertx.setPeriodic(1000, t -> logStream.flush());
    io.hopwise.app.reload.Reloader reloader = new io.hopwise.app.reload.Reloader(source, config, proxy, applied -> {
      accessLog.format(AccessLog.Format.valueOf(applied.accessLog().name()));
      parentMetrics.configured(parentNames(applied));
      admin.show(ConfigLoader.toYaml(applied));
    }, registry, err);
    admin.connections(proxy::connections, () -> reloader.running().view().hidePaths());
    new io.hopwise.app.reload.ReloadTriggers(reloader::reload, () -> watched(configFile, reloader.running()))
        .start(RELOAD_WATCH_PERIOD);
    new Shutdown(proxy, admin, vertx, readiness, () -> reloader.running().shutdown(), err, logStream::flush).install();
    readiness.ready();
    out.println("hopwise listening on " + new HostPort(config.listen().host(), proxy.port())
        + " (mode " + config.mode() + ", " + transport.kind()
        + " transport), admin on " + new HostPort(config.admin().host(), adminPort));
    out.flush();
    return 0;
  }

  /**
   * The files a configuration comes from: the config file and, where it names them, the
   * credentials file and the parents' credentials files.
   */
  private static List<java.nio.file.Path> watched(java.nio.file.Path configFile, ProxyConfig config) {
    List<java.nio.file.Path> files = new java.util.ArrayList<>(List.of(configFile));
    String auth = config.security().authFile();
    if (auth != null) {
      files.add(java.nio.file.Path.of(auth));
    }
    for (var p : config.parents().list()) {
      if (p.credentialsFile() != null) {
        files.add(java.nio.file.Path.of(p.credentialsFile()));
      }
    }
    return files;
  }

  private static List<String> parentNames(ProxyConfig config) {
    return config.parents().list().stream().map(io.hopwise.options.ParentsOptions.ParentSpec::name).toList();
  }

  /** Reads one password line from {@code in} and prints the credentials-file line for it. */
  static int hashPassword(String user, java.io.InputStream in, PrintStream out, PrintStream err) {
    try {
      String line = new java.io.BufferedReader(new java.io.InputStreamReader(in, java.nio.charset.StandardCharsets.UTF_8)).readLine();
      if (line == null || line.isEmpty()) {
        err.println("hopwise: --hash-password: no password on standard input");
        return EXIT_USAGE;
      }
      out.println(io.hopwise.policy.BasicAuth.hashLine(user, line.toCharArray(), new java.security.SecureRandom()));
      return 0;
    } catch (java.io.IOException | IllegalArgumentException e) {
      err.println("hopwise: --hash-password: " + message(e));
      return EXIT_USAGE;
    }
  }

  static <T> T await(Future<T> future, long millis)
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

  static String message(Throwable t) {
    if (t instanceof TimeoutException) {
      return "timed out";
    }
    if (t instanceof ExecutionException && t.getCause() != null) {
      t = t.getCause();
    }
    return t.getMessage() != null ? t.getMessage() : t.getClass().getSimpleName();
  }
}
