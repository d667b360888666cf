package io.hopwise.app.admin;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;

/**
 * The admin port (default 127.0.0.1:9901): /metrics for Prometheus, /healthz (alive), /readyz
 * (ready to take traffic: 503 while starting or draining) and /config (the configuration in
 * effect, as --check-config prints it, and its SHA-256, to tell which file a pod runs). A plain Vert.x HttpServer: these are
 * our own simple endpoints, not proxied traffic, so its leniency does not matter here.
 */
public final class AdminServer {
  /** Prometheus text exposition format 0.0.4. */
  static final String METRICS_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  private final Vertx vertx;
  private final PrometheusMeterRegistry registry;
  private final Readiness readiness;
  /** The configuration shown and its hash, replaced together by a reload. */
  private record Shown(String yaml, String sha256) {}

  private volatile Shown shown;
  private HttpServer server;
  /** Where the connection view's data comes from (issue 24); null: no view (yet: it may be set once serving). */
  private volatile java.util.function.Supplier<Future<io.hopwise.ConnectionsSnapshot>> connections;
  private volatile java.util.function.BooleanSupplier hidePaths = () -> false;
  private static final byte[] CONNECTIONS_PAGE = page();

  /** Serves the connection view from {@code connections}; {@code hidePaths} is read at each request (a reload may change it). */
  public void connections(java.util.function.Supplier<Future<io.hopwise.ConnectionsSnapshot>> connections,
      java.util.function.BooleanSupplier hidePaths) {
    this.connections = connections;
    this.hidePaths = hidePaths;
  }

  private static byte[] page() {
    try (java.io.InputStream in = AdminServer.class.getResourceAsStream("/admin/connections.html")) {
      return in == null ? new byte[0] : in.readAllBytes();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** @param config the effective configuration as YAML (what {@code --check-config} prints) */
  public AdminServer(Vertx vertx, PrometheusMeterRegistry registry, Readiness readiness, String config) {
    this.vertx = vertx;
    this.registry = registry;
    this.readiness = readiness;
    show(config);
  }

  /** {@code /config} shows {@code config} from now on (after a reload). */
  public void show(String config) {
    shown = new Shown(config, sha256(config));
  }

  public static String sha256(String text) {
    try {
      return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
          .digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e); // every JDK has SHA-256
    }
  }

  public Future<Integer> start(String host, int port) {
    server = vertx.createHttpServer(new HttpServerOptions().setHost(host).setPort(port));
    server.requestHandler(this::handle);
    return server.listen().map(HttpServer::actualPort);
  }

  private void handle(HttpServerRequest req) {
    boolean get = req.method().name().equals("GET") || req.method().name().equals("HEAD");
    switch (req.path()) {
      case "/metrics" -> {
        if (!get) {
          req.response().setStatusCode(405).putHeader("Allow", "GET, HEAD").end();
          return;
        }
        // Scraping walks every meter: off the event loop.
        vertx.<String>executeBlocking(registry::scrape).onComplete(ar -> {
          if (ar.succeeded()) {
            req.response().putHeader("Content-Type", METRICS_CONTENT_TYPE).end(ar.result());
          } else {
            req.response().setStatusCode(500).end("scrape failed\n");
          }
        });
      }
      case "/healthz" -> req.response().putHeader("Content-Type", "text/plain").end("ok\n");
      case "/config" -> {
        Shown s = shown;
        req.response().putHeader("Content-Type", "text/yaml; charset=utf-8")
            .putHeader("X-Config-SHA256", s.sha256()).end("# sha256 " + s.sha256() + "\n" + s.yaml());
      }
      case "/connections" -> {
        if (connections == null) {
          req.response().setStatusCode(404).end("no connection view\n");
          return;
        }
        req.response().putHeader("Content-Type", "text/html; charset=utf-8")
            .putHeader("Content-Security-Policy", "default-src 'self'; style-src 'self' 'unsafe-inline'; script-src 'self' 'unsafe-inline'")
            .end(io.vertx.core.buffer.Buffer.buffer(CONNECTIONS_PAGE));
      }
      case "/connections.json" -> {
        if (connections == null) {
          req.response().setStatusCode(404).end("no connection view\n");
          return;
        }
        java.util.Map<String, String> query = new java.util.HashMap<>();
        req.params().forEach(e -> query.put(e.getKey(), e.getValue()));
        ConnectionsView.Filter filter = ConnectionsView.Filter.of(query);
        boolean hide = hidePaths.getAsBoolean();
        connections.get().compose(s -> vertx.<String>executeBlocking(() -> ConnectionsView.JSON.writeValueAsString(
            ConnectionsView.render(s, SockStat.timeWait(), hide, filter, System.currentTimeMillis()))))
            .onComplete(ar -> {
              if (ar.succeeded()) {
                req.response().putHeader("Content-Type", "application/json").putHeader("Cache-Control", "no-store")
                    .end(ar.result());
              } else {
                req.response().setStatusCode(500).end("connection view failed: " + ar.cause().getMessage() + "\n");
              }
            });
      }
      case "/readyz" -> {
        Readiness.State s = readiness.state();
        req.response().setStatusCode(s == Readiness.State.READY ? 200 : 503)
            .putHeader("Content-Type", "text/plain").end(s.name().toLowerCase() + "\n");
      }
      default -> req.response().setStatusCode(404).putHeader("Content-Type", "text/plain")
          .end("not found: try /metrics, /healthz, /readyz, /config or /connections\n");
    }
  }

  public Future<Void> close() {
    return server == null ? Future.succeededFuture() : server.close();
  }
}
