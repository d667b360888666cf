package io.hopwise.server;

import io.hopwise.HopwiseProxy;
import io.hopwise.ProxyListener;
import io.hopwise.ProxyOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;

/** Deploys one {@link ProxyVerticle} per event loop, all on the same port. */
public final class ProxyServer implements HopwiseProxy {
  private final Vertx vertx;
  private final List<String> deployments;
  private final int port;

  private ProxyServer(Vertx vertx, List<String> deployments, int port) {
    this.vertx = vertx;
    this.deployments = deployments;
    this.port = port;
  }

  public static Future<HopwiseProxy> start(Vertx vertx, ProxyOptions options, ProxyListener listener) {
    // The first instance binds (port 0 picks a free port); the rest share the port it got.
    ProxyVerticle first = new ProxyVerticle(options, listener);
    List<String> ids = new ArrayList<>();
    return vertx.deployVerticle(first).compose(id -> {
      ids.add(id);
      ProxyOptions shared = new ProxyOptions(options).setPort(first.actualPort());
      Future<Void> chain = Future.succeededFuture();
      for (int i = 1; i < options.eventLoops(); i++) {
        chain = chain.compose(v -> vertx.deployVerticle(new ProxyVerticle(shared, listener)).map(ids::add).mapEmpty());
      }
      return chain.map(v -> (HopwiseProxy) new ProxyServer(vertx, ids, first.actualPort()));
    });
  }

  @Override
  public int port() {
    return port;
  }

  @Override
  public Future<Void> close() {
    List<Future<Void>> all = new ArrayList<>();
    for (String id : deployments) {
      all.add(vertx.undeploy(id));
    }
    return Future.all(all).mapEmpty();
  }
}
