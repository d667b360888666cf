package io.hopwise.bench;

import io.hopwise.io.TransportChoice;
import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringServerSocketChannel;
import io.netty.channel.uring.IoUringSocketChannel;

/**
 * The native transport the bench's Netty-only programs run on: the one the proxy's {@code auto}
 * picks (io_uring, else epoll), or {@code -Dtransport=epoll|io_uring}; one event loop per core.
 */
record NettyTransport(TransportChoice.Kind kind, int loops, EventLoopGroup group, Class<? extends ServerChannel> serverChannel,
    Class<? extends Channel> clientChannel) {

  static NettyTransport choose(String program) {
    TransportChoice.Kind kind = TransportChoice.choose(
        TransportChoice.Kind.parse(System.getProperty("transport", "auto")),
        IoUring.isAvailable() ? null : String.valueOf(IoUring.unavailabilityCause()),
        Epoll.isAvailable() ? null : String.valueOf(Epoll.unavailabilityCause())).kind();
    boolean ioUring = kind == TransportChoice.Kind.IO_URING;
    if (!ioUring && kind != TransportChoice.Kind.EPOLL) {
      throw new IllegalStateException(program + " runs on io_uring or epoll only, and here that leaves " + kind);
    }
    IoHandlerFactory handlers = ioUring ? IoUringIoHandler.newFactory() : EpollIoHandler.newFactory();
    int loops = Runtime.getRuntime().availableProcessors();
    return new NettyTransport(kind, loops, new MultiThreadIoEventLoopGroup(loops, handlers),
        ioUring ? IoUringServerSocketChannel.class : EpollServerSocketChannel.class,
        ioUring ? IoUringSocketChannel.class : EpollSocketChannel.class);
  }
}
