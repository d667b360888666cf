package io.hopwise.app.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hopwise.HopwiseProxy;
import io.hopwise.PoolStats;
import io.hopwise.ProxyOptions;
import io.hopwise.app.metrics.ProxyMetrics;
import io.hopwise.server.ProxyServer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The admin endpoints over real HTTP, with metrics fed by real proxied traffic. */
class AdminServerTest {
  private Vertx vertx;
  private ServerSocket origin;
  private HopwiseProxy proxy;
  private AdminServer admin;
  private int adminPort;
  private final Readiness readiness = new Readiness();
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    origin = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
    Thread t = new Thread(this::serveOrigin);
    t.setDaemon(true);
    t.start();
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    AtomicReference<HopwiseProxy> ref = new AtomicReference<>();
    ProxyMetrics metrics = new ProxyMetrics(registry, "smart",
        () -> ref.get() == null ? PoolStats.ZERO : ref.get().stats());
    proxy = ProxyServer.start(vertx, ProxyOptions.builder().setHost("127.0.0.1").setPort(0).setEventLoops(1).build(), metrics)
        .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    ref.set(proxy);
    admin = new AdminServer(vertx, registry, readiness, "listen: 127.0.0.1:3128\n");
    admin.connections(proxy::connections, () -> false);
    adminPort = admin.start("127.0.0.1", 0).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  /** Answers every request on a connection with a fixed keep-alive response and a hop-by-hop field. */
  private void serveOrigin() {
    while (!origin.isClosed()) {
      try (Socket s = origin.accept()) {
        InputStream in = s.getInputStream();
        OutputStream out = s.getOutputStream();
        int matched = 0;
        int c;
        while ((c = in.read()) >= 0) {
          matched = (c == "\r\n\r\n".charAt(matched)) ? matched + 1 : (c == '\r' ? 1 : 0);
          if (matched == 4) {
            out.write("HTTP/1.1 200 OK\r\nKeep-Alive: timeout=5\r\nContent-Length: 2\r\n\r\nok".getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            matched = 0;
          }
        }
      } catch (IOException e) {
        // next
      }
    }
  }

  @AfterEach
  void stop() throws Exception {
    admin.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    proxy.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    vertx.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    origin.close();
  }

  private HttpResponse<String> get(String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPort + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  // Issue 26: which configuration a pod runs, without a shell in it.
  @Test
  void configShowsTheConfigurationInEffectAndItsHash() throws Exception {
    HttpResponse<String> r = get("/config");
    assertEquals(200, r.statusCode());
    String hash = AdminServer.sha256("listen: 127.0.0.1:3128\n");
    assertEquals("# sha256 " + hash + "\nlisten: 127.0.0.1:3128\n", r.body());
    assertEquals(hash, r.headers().firstValue("X-Config-SHA256").orElse(""));
    assertEquals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", AdminServer.sha256("abc"),
        "FIPS 180-2's known answer");
  }

  // Issue 24: the connection view, from real proxied traffic.
  @Test
  void connectionsJsonShowsEachExchangesTwoLegsAndThePageIsServedFromTheJar() throws Exception {
    try (Socket c = new Socket(InetAddress.getLoopbackAddress(), proxy.port())) {
      OutputStream out = c.getOutputStream();
      for (int i = 0; i < 2; i++) {
        out.write(("GET http://127.0.0.1:" + origin.getLocalPort() + "/p?token=secret HTTP/1.1\r\nHost: x\r\n\r\n")
            .getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        readResponse(c.getInputStream());
      }
      HttpResponse<String> r = get("/connections.json");
      assertEquals(200, r.statusCode());
      assertEquals("application/json", r.headers().firstValue("Content-Type").orElse(""));
      var root = new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.body());
      var x = root.get("exchanges");
      assertEquals(2, x.size(), r.body());
      assertEquals(2, x.get(0).at("/client/request").asInt(), "newest first: the second request on the connection");
      assertTrue(x.get(0).at("/upstream/reused").asBoolean());
      assertTrue(x.get(1).at("/client/new").asBoolean());
      assertEquals("http://127.0.0.1:" + origin.getLocalPort() + "/p", x.get(0).get("target").asText());
      assertTrue(!r.body().contains("secret"), "no query strings");
      assertTrue(root.get("open").toString().contains("\"leg\":\"client\""), "the open client connection: " + root.get("open"));
      assertTrue(root.get("timeWait").asLong() >= 0);
    }
    HttpResponse<String> page = get("/connections");
    assertEquals(200, page.statusCode());
    assertTrue(page.body().contains("<title>hopwise: connections</title>"));
    assertTrue(page.body().contains("/connections.json"), "the page reads the JSON");
  }

  @Test
  void readinessFollowsTheLifecycle() throws Exception {
    assertEquals(503, get("/readyz").statusCode());
    readiness.ready();
    assertEquals(200, get("/readyz").statusCode());
    readiness.draining();
    HttpResponse<String> r = get("/readyz");
    assertEquals(503, r.statusCode());
    assertEquals("draining\n", r.body());
    assertEquals(200, get("/healthz").statusCode(), "alive while draining");
    assertEquals(404, get("/nope").statusCode());
  }

  @Test
  void metricsCountProxiedRequests() throws Exception {
    try (Socket c = new Socket(InetAddress.getLoopbackAddress(), proxy.port())) {
      OutputStream out = c.getOutputStream();
      for (int i = 0; i < 3; i++) {
        out.write(("GET http://127.0.0.1:" + origin.getLocalPort() + "/ HTTP/1.1\r\nHost: x\r\n"
            + "Connection: keep-alive\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        readResponse(c.getInputStream());
      }
    }
    Thread.sleep(1200); // connection gauges are sampled every second
    HttpResponse<String> r = get("/metrics");
    assertEquals(200, r.statusCode());
    assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/plain; version=0.0.4"));
    String body = r.body();
    assertTrue(body.contains("hopwise_requests_total{method=\"GET\",mode=\"smart\",status_class=\"2xx\"} 3.0"), body);
    assertTrue(body.contains("hopwise_upstream_connections_opened_total 1.0"), body);
    assertTrue(body.contains("hopwise_upstream_connections_reused_total 2.0"), body);
    assertTrue(body.contains("hopwise_hop_by_hop_fields_removed_total{direction=\"request\",field=\"connection\"} 3.0"), body);
    assertTrue(body.contains("hopwise_hop_by_hop_fields_removed_total{direction=\"response\",field=\"keep-alive\"} 3.0"), body);
    assertTrue(body.contains("hopwise_upstream_connections{state=\"idle\"} 1.0"), body);
    assertTrue(body.contains("hopwise_request_duration_seconds_count{mode=\"smart\"} 3"), body);
    assertTrue(!body.contains("127.0.0.1"), "no addresses or URLs in label values");
  }

  private static void readResponse(InputStream in) throws IOException {
    int matched = 0;
    int c;
    while ((c = in.read()) >= 0) {
      matched = (c == "\r\n\r\n".charAt(matched)) ? matched + 1 : (c == '\r' ? 1 : 0);
      if (matched == 4) {
        in.readNBytes(2);
        return;
      }
    }
  }
}
