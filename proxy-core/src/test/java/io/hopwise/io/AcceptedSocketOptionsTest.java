package io.hopwise.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.hopwise.io.TransportChoice.Kind;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.internal.net.NetSocketInternal;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.transport.Transport;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Accepted sockets get only the options that change something (issue 28: Vert.x set four no-op
 * options on each, one system call apiece), and keep every option that is asked for.
 */
class AcceptedSocketOptionsTest {
  private static Transport transport(Kind kind) {
    Transport t = kind == Kind.IO_URING ? Transport.IO_URING : Transport.EPOLL;
    assumeTrue(Transports.problem(t) == null, kind + " cannot run here");
    return t;
  }

  /** The child options a server bootstrap gets from {@code t} for {@code options}, by name. */
  private static Map<String, Object> childOptions(Transport t, NetServerOptions options) {
    ServerBootstrap b = new ServerBootstrap();
    t.implementation().configure(options, false, b);
    Map<String, Object> named = new TreeMap<>();
    b.config().childOptions().forEach((o, v) -> named.put(o.name().substring(o.name().indexOf('#') + 1), v));
    return named;
  }

  @ParameterizedTest
  @EnumSource(value = Kind.class, names = {"IO_URING", "EPOLL"})
  void theDefaultsSetNothingOnAnAcceptedSocket(Kind kind) {
    Transport plain = transport(kind);
    NetServerOptions defaults = new NetServerOptions().setTcpNoDelay(true); // as ProxyVerticle listens
    assertEquals("{SO_KEEPALIVE=false, TCP_CORK=false, TCP_NODELAY=true, TCP_QUICKACK=false}",
        childOptions(plain, defaults).toString(), "what Vert.x sets on every accepted socket");
    assertEquals("{}", childOptions(AcceptedSocketOptions.of(plain), defaults).toString());
  }

  @ParameterizedTest
  @EnumSource(value = Kind.class, names = {"IO_URING", "EPOLL"})
  void optionsAskedForAreStillSet(Kind kind) {
    NetServerOptions asked = new NetServerOptions().setTcpNoDelay(false).setTcpKeepAlive(true).setTcpCork(true)
        .setTcpQuickAck(true).setSoLinger(5);
    assertEquals("{SO_KEEPALIVE=true, SO_LINGER=5, TCP_CORK=true, TCP_NODELAY=false, TCP_QUICKACK=true}",
        childOptions(AcceptedSocketOptions.of(transport(kind)), asked).toString());
  }

  /** On a real accepted socket: Nagle off (Netty's own default), keep-alive probes and cork off. */
  @ParameterizedTest
  @EnumSource(value = Kind.class, names = {"IO_URING", "EPOLL"})
  void anAcceptedSocketHasNagleOffAndNoKeepAliveProbes(Kind kind) throws Exception {
    transport(kind);
    Vertx vertx = Transports.start(new VertxOptions(), kind).vertx();
    try {
      CompletableFuture<String> seen = new CompletableFuture<>();
      NetServer server = vertx.createNetServer(new NetServerOptions().setTcpNoDelay(true)).connectHandler(s -> {
        Channel ch = ((NetSocketInternal) s).channelHandlerContext().channel();
        seen.complete("nodelay=" + ch.config().getOption(ChannelOption.TCP_NODELAY)
            + " keepalive=" + ch.config().getOption(ChannelOption.SO_KEEPALIVE));
        s.close();
      });
      int port = server.listen(0, "127.0.0.1").await(5, TimeUnit.SECONDS).actualPort();
      vertx.createNetClient().connect(port, "127.0.0.1").await(5, TimeUnit.SECONDS);
      assertEquals("nodelay=true keepalive=false", seen.get(5, TimeUnit.SECONDS));
    } finally {
      vertx.close().await(5, TimeUnit.SECONDS);
    }
  }
}
