package io.hopwise.server;

import io.hopwise.HopwiseProxy;
import io.hopwise.ProxyListener;
import io.hopwise.ProxyOptions;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Deploys one {@link ProxyVerticle} per event loop in a single deployment: Vert.x shares the
 * port among the instances (port 0 included: all instances get the same random port).
 */
public final class ProxyServer implements HopwiseProxy {
  private final Vertx vertx;
  private final String deployment;
  private final int port;

  private ProxyServer(Vertx vertx, String deployment, int port) {
    this.vertx = vertx;
    this.deployment = deployment;
    this.port = port;
  }

  public static Future<HopwiseProxy> start(Vertx vertx, ProxyOptions options, ProxyListener listener) {
    List<ProxyVerticle> instances = new CopyOnWriteArrayList<>();
    return vertx.deployVerticle(() -> {
      ProxyVerticle v = new ProxyVerticle(options, listener);
      instances.add(v);
      return v;
    }, new DeploymentOptions().setInstances(options.eventLoops()))
        .map(id -> new ProxyServer(vertx, id, instances.get(0).actualPort()));
  }

  @Override
  public int port() {
    return port;
  }

  @Override
  public Future<Void> close() {
    return vertx.undeploy(deployment);
  }
}
