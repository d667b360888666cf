package io.hopwise.bench;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;

/**
 * {@link ByteRelay} without Vert.x: Netty's own bootstrap on the transport the proxy's {@code auto}
 * picks (io_uring, else epoll; {@code -Dtransport=epoll} to choose), one event loop per core, each
 * client connection relayed to an origin connection of its own on the same loop, reads passed on
 * as they are (no heap copy) and flushed once per read batch. Comparing the two says what Vert.x's
 * layer costs per request (bench/README.md, session 6: at most about 1 µs). Not a proxy, and like
 * ByteRelay it does not apply backpressure: it is for small bodies on loopback.
 *
 * <p>{@code java [-Dtransport=auto|io_uring|epoll] -cp proxy-bench/target/benchmarks.jar io.hopwise.bench.NettyRelay LISTEN_PORT ORIGIN_PORT}
 */
public final class NettyRelay {
  private NettyRelay() {}

  /** Writes what it reads to {@code peer}, flushes when a read batch ends, and closes it on close. */
  private static final class Forward extends ChannelInboundHandlerAdapter {
    private final Channel peer;

    Forward(Channel peer) {
      this.peer = peer;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      peer.write(msg, peer.voidPromise());
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
      peer.flush();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      peer.close();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      ctx.close();
    }
  }

  public static void main(String[] args) throws InterruptedException {
    RelayPorts ports = RelayPorts.parse("NettyRelay", args);
    int listen = ports.listen();
    int origin = ports.origin();
    NettyTransport transport = NettyTransport.choose("NettyRelay");
    Class<? extends Channel> clientChannel = transport.clientChannel();
    new ServerBootstrap().group(transport.group()).channel(transport.serverChannel())
        .childOption(ChannelOption.TCP_NODELAY, true)
        .childOption(ChannelOption.AUTO_READ, false) // nothing is read before the origin connection is up
        .childHandler(new ChannelInitializer<Channel>() {
          @Override
          protected void initChannel(Channel client) {
            new Bootstrap().group(client.eventLoop()).channel(clientChannel)
                .option(ChannelOption.TCP_NODELAY, true)
                .handler(new Forward(client))
                .connect("127.0.0.1", origin)
                .addListener((ChannelFutureListener) connected -> {
                  if (!connected.isSuccess()) {
                    client.close();
                    return;
                  }
                  client.pipeline().addLast(new Forward(connected.channel()));
                  client.config().setAutoRead(true);
                });
          }
        })
        .bind("127.0.0.1", listen).sync();
    System.out.println("netty relay on 127.0.0.1:" + listen + " -> 127.0.0.1:" + origin + ", " + transport.loops()
        + " event loops, " + transport.kind());
  }
}
