package io.hopwise.app.reload;

import io.hopwise.HopwiseProxy;
import io.hopwise.ProxyOptions;
import io.hopwise.app.admin.AdminServer;
import io.hopwise.app.config.ConfigException;
import io.hopwise.app.config.ConfigLoader;
import io.hopwise.app.config.ProxyConfig;
import io.hopwise.app.config.ReloadPlan;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.PrintStream;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Reads the configuration again and puts it in force (issue 26), whatever asked (SIGHUP, a change
 * of the file): the file is read and checked exactly as at start; a file that does not load is
 * refused with the same one-line error and the running configuration stays; otherwise the
 * {@link ReloadPlan} is applied, to the proxy (new requests, tunnels and connections) and to what
 * the program shows (the access log's format, {@code /config}). One reload at a time.
 */
public final class Reloader {
  /** Reads the configuration as the command line says (file, flags, environment). */
  public interface Source {
    ProxyConfig load() throws ConfigException;
  }

  public enum Outcome { APPLIED, REFUSED }

  private final Source source;
  private final HopwiseProxy proxy;
  private final Consumer<ProxyConfig> onApplied;
  private final PrintStream err;
  private final Counter applied;
  private final Counter refused;
  private final AtomicLong lastSuccessful = new AtomicLong(1);
  private final AtomicLong lastSuccessSeconds = new AtomicLong(System.currentTimeMillis() / 1000);
  private volatile ProxyConfig running;

  /**
   * @param running the configuration the proxy started with
   * @param onApplied told each configuration put in force, after the proxy took it
   */
  public Reloader(Source source, ProxyConfig running, HopwiseProxy proxy, Consumer<ProxyConfig> onApplied,
      MeterRegistry registry, PrintStream err) {
    this.source = source;
    this.running = running;
    this.proxy = proxy;
    this.onApplied = onApplied;
    this.err = err;
    this.applied = Counter.builder("hopwise.config.reloads").tag("result", "applied")
        .description("Configuration reloads, by result (refused: the file did not load; the running one stayed)")
        .register(registry);
    this.refused = Counter.builder("hopwise.config.reloads").tag("result", "refused")
        .description("Configuration reloads, by result (refused: the file did not load; the running one stayed)")
        .register(registry);
    Gauge.builder("hopwise.config.last.reload.successful", lastSuccessful, AtomicLong::get)
        .description("1 if the last reload was applied (or none was tried), 0 if it was refused").register(registry);
    Gauge.builder("hopwise.config.last.reload.success.timestamp.seconds", lastSuccessSeconds, AtomicLong::get)
        .description("When the configuration in force was put in force (start or reload), in Unix seconds")
        .register(registry);
  }

  /** The configuration in force. */
  public ProxyConfig running() {
    return running;
  }

  /** Reads and applies the configuration; {@code trigger} says why, in the line it prints. */
  public synchronized Outcome reload(String trigger) {
    ReloadPlan plan;
    ProxyOptions next;
    try {
      plan = ReloadPlan.between(running, source.load());
      next = plan.applied().toProxyOptions();
      proxy.apply(next).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (ConfigException e) {
      return refused(trigger, e.getMessage());
    } catch (Exception e) { // the proxy refused the options: a restart-only change the plan missed
      Throwable cause = e instanceof java.util.concurrent.ExecutionException && e.getCause() != null ? e.getCause() : e;
      return refused(trigger, String.valueOf(cause.getMessage()));
    }
    String yaml = ConfigLoader.toYaml(plan.applied());
    String before = AdminServer.sha256(ConfigLoader.toYaml(running));
    running = plan.applied();
    onApplied.accept(running);
    applied.increment();
    lastSuccessful.set(1);
    lastSuccessSeconds.set(System.currentTimeMillis() / 1000);
    String hash = AdminServer.sha256(yaml);
    err.println("hopwise: reload (" + trigger + ") applied: sha256 " + hash.substring(0, 12)
        + (hash.equals(before) ? " (no change)" : "") + " in force for new requests and tunnels"
        + (plan.needRestart().isEmpty() ? "" : "; " + String.join("; ", plan.needRestart())));
    return Outcome.APPLIED;
  }

  private Outcome refused(String trigger, String why) {
    refused.increment();
    lastSuccessful.set(0);
    err.println("hopwise: reload (" + trigger + ") refused: " + why + "; the running configuration stays");
    return Outcome.REFUSED;
  }
}
