package io.hopwise.testing;

import io.hopwise.HopwiseProxy;
import io.hopwise.ProxyListener;
import io.hopwise.ProxyOptions;
import io.hopwise.ProxyOptionsBuilder;
import io.hopwise.server.ProxyServer;
import io.vertx.core.Vertx;
import java.util.concurrent.TimeUnit;

/** Starts a real proxy on a loopback port of its own for one test. */
public final class ProxyHarness implements AutoCloseable, org.junit.jupiter.api.extension.AfterEachCallback {
  private final Vertx vertx;
  private final HopwiseProxy proxy;

  /** The proxy of {@code options}, on 127.0.0.1 and a free port. */
  public ProxyHarness(ProxyOptionsBuilder options, ProxyListener listener) throws Exception {
    vertx = TestVertx.create();
    proxy = ProxyServer.start(vertx, options.setHost("127.0.0.1").setPort(0).build(), listener)
        .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  public ProxyHarness(ProxyOptionsBuilder options) throws Exception {
    this(options, ProxyListener.NONE);
  }

  public ProxyHarness(ProxyOptions options) throws Exception {
    this(options.toBuilder(), ProxyListener.NONE);
  }

  /**
   * For a field: {@code @RegisterExtension final ProxyHarness proxy = ProxyHarness.perTest(options);}
   * starts one proxy per test and stops it after the test.
   */
  public static ProxyHarness perTest(ProxyOptionsBuilder options) {
    try {
      return new ProxyHarness(options);
    } catch (Exception e) {
      throw new IllegalStateException("proxy did not start", e);
    }
  }

  @Override
  public void afterEach(org.junit.jupiter.api.extension.ExtensionContext context) throws Exception {
    close();
  }

  public int port() {
    return proxy.port();
  }

  /** The running proxy, e.g. to {@link HopwiseProxy#apply} new options. */
  public HopwiseProxy proxy() {
    return proxy;
  }

  /** Puts {@code options} in force as a reload does (on this harness's host and port). */
  public void apply(ProxyOptionsBuilder options) throws Exception {
    proxy.apply(options.setHost("127.0.0.1").setPort(0).build()).toCompletionStage().toCompletableFuture()
        .get(10, TimeUnit.SECONDS);
  }

  public Vertx vertx() {
    return vertx;
  }

  public RawClient client() throws java.io.IOException {
    return new RawClient(port());
  }

  @Override
  public void close() throws Exception {
    proxy.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }
}
