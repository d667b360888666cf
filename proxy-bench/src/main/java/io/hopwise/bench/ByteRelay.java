package io.hopwise.bench;

import io.hopwise.io.TransportChoice;
import io.hopwise.io.Transports;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetServerOptions;

/**
 * The floor under hopwise, for bench/peers.sh: a relay on the same stack (Vert.x NetSocket, the
 * transport hopwise's {@code transport: auto} picks, one event loop per core, the launcher's JVM
 * options) that knows no HTTP.
 * Each client connection gets its own origin connection and bytes are copied across both ways.
 * What hopwise costs per request above this is its own work: parsing, rules, pool, metrics.
 * Not a proxy: it forwards whatever comes to one origin.
 *
 * <p>{@code java -cp proxy-bench/target/benchmarks.jar io.hopwise.bench.ByteRelay LISTEN_PORT ORIGIN_PORT}
 */
public final class ByteRelay extends VerticleBase {
  private final int listenPort;
  private final int originPort;

  private ByteRelay(int listenPort, int originPort) {
    this.listenPort = listenPort;
    this.originPort = originPort;
  }

  @Override
  public Future<?> start() {
    NetClient client = vertx.createNetClient(new NetClientOptions().setTcpNoDelay(true));
    return vertx.createNetServer(new NetServerOptions().setTcpNoDelay(true)).connectHandler(in -> {
      in.pause();
      client.connect(originPort, "127.0.0.1").onSuccess(out -> {
        in.handler(out::write);
        out.handler(in::write);
        in.closeHandler(v -> out.close());
        out.closeHandler(v -> in.close());
        in.resume();
      }).onFailure(e -> in.close());
    }).listen(listenPort, "127.0.0.1");
  }

  public static void main(String[] args) {
    RelayPorts ports = RelayPorts.parse("ByteRelay", args);
    int listen = ports.listen();
    int origin = ports.origin();
    int loops = Runtime.getRuntime().availableProcessors();
    Transports.Started started = Transports.start(new VertxOptions().setEventLoopPoolSize(loops), TransportChoice.Kind.AUTO);
    Vertx vertx = started.vertx();
    TransportChoice.Chosen transport = started.transport();
    vertx.deployVerticle(() -> new ByteRelay(listen, origin), new DeploymentOptions().setInstances(loops))
        .onSuccess(id -> System.out.println("relay on 127.0.0.1:" + listen + " -> 127.0.0.1:" + origin
            + ", " + loops + " event loops, " + transport.kind() + " transport"))
        .onFailure(e -> {
          System.err.println("relay: " + e.getMessage());
          System.exit(1);
        });
  }
}
