package io.hopwise.io;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFactory;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.InternetProtocolFamily;
import io.netty.channel.uring.IoUringChannelOption;
import io.netty.util.internal.PlatformDependent;
import io.vertx.core.datagram.DatagramSocketOptions;
import io.vertx.core.impl.transports.TransportInternal;
import io.vertx.core.net.ClientOptionsBase;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.spi.transport.Transport;
import java.net.SocketAddress;
import java.util.Map;
import java.util.concurrent.ThreadFactory;

/**
 * A native transport (epoll, io_uring) whose server sets on an accepted socket only the options
 * that change something. Vert.x sets four on every accepted connection whatever they are: TCP_NODELAY
 * (which Netty's channel has just set itself), and TCP_QUICKACK, TCP_CORK and SO_KEEPALIVE at their
 * off values, one system call each. With a connection per request that is four of the twenty-odd
 * system calls a connection costs (issue 28, target 1; nginx and HAProxy set none of them).
 *
 * <p>TCP_QUICKACK off is not quite the kernel's own state: Linux starts a connection acking at
 * once and moves to delayed acks by itself; Vert.x's "off" moved it there before the first byte.
 * Leaving it out gives what nginx and HAProxy sockets have. Settings asked for (keep-alive probes
 * on, TCP_NODELAY off, cork, quick acks) are still applied, as are all client-side options.
 */
final class AcceptedSocketOptions implements Transport {
  private final Transport delegate;

  private AcceptedSocketOptions(Transport delegate) {
    this.delegate = delegate;
  }

  /**
   * {@code t} with its accepted sockets' no-op options left out, or {@code t} itself for NIO (which
   * Vert.x tells apart by class) and for a transport that cannot run here.
   */
  static io.vertx.core.transport.Transport of(io.vertx.core.transport.Transport t) {
    if (t == null || !t.available() || t == io.vertx.core.transport.Transport.NIO) {
      return t;
    }
    return new TransportInternal(t.name(), true, null, new AcceptedSocketOptions(t.implementation()));
  }

  /** The transport {@code running} wraps, or {@code running} itself. */
  static Transport unwrap(Transport running) {
    return running instanceof AcceptedSocketOptions a ? a.delegate : running;
  }

  @Override
  public void configure(NetServerOptions options, boolean domainSocket, ServerBootstrap bootstrap) {
    delegate.configure(options, domainSocket, bootstrap);
    Map<ChannelOption<?>, Object> set = bootstrap.config().childOptions();
    for (Map.Entry<ChannelOption<?>, Object> e : set.entrySet()) {
      if (isNoOp(e.getKey(), e.getValue())) {
        bootstrap.childOption(e.getKey(), null); // Netty: a null value removes the option
      }
    }
  }

  /** An accepted socket has this option at this value already (the kernel's default, or Netty's). */
  static boolean isNoOp(ChannelOption<?> option, Object value) {
    if (option == ChannelOption.TCP_NODELAY) {
      return Boolean.TRUE.equals(value) && PlatformDependent.canEnableTcpNoDelayByDefault();
    }
    if (option == ChannelOption.SO_KEEPALIVE) {
      return Boolean.FALSE.equals(value);
    }
    return (option == EpollChannelOption.TCP_CORK || option == EpollChannelOption.TCP_QUICKACK
        || option == IoUringChannelOption.TCP_CORK || option == IoUringChannelOption.TCP_QUICKACK)
        && Boolean.FALSE.equals(value);
  }

  // Everything else is the delegate's.

  @Override
  public boolean supportsDomainSockets() {
    return delegate.supportsDomainSockets();
  }

  @Override
  public boolean supportFileRegion() {
    return delegate.supportFileRegion();
  }

  @Override
  public boolean isAvailable() {
    return delegate.isAvailable();
  }

  @Override
  public Throwable unavailabilityCause() {
    return delegate.unavailabilityCause();
  }

  @Override
  public SocketAddress convert(io.vertx.core.net.SocketAddress address) {
    return delegate.convert(address);
  }

  @Override
  public io.vertx.core.net.SocketAddress convert(SocketAddress address) {
    return delegate.convert(address);
  }

  @Override
  public IoHandlerFactory ioHandlerFactory() {
    return delegate.ioHandlerFactory();
  }

  @Override
  public EventLoopGroup eventLoopGroup(int type, int nThreads, ThreadFactory threadFactory, int ioRatio) {
    return delegate.eventLoopGroup(type, nThreads, threadFactory, ioRatio);
  }

  @Override
  public DatagramChannel datagramChannel() {
    return delegate.datagramChannel();
  }

  @Override
  public DatagramChannel datagramChannel(InternetProtocolFamily family) {
    return delegate.datagramChannel(family);
  }

  @Override
  public ChannelFactory<? extends Channel> channelFactory(boolean domainSocket) {
    return delegate.channelFactory(domainSocket);
  }

  @Override
  public ChannelFactory<? extends ServerChannel> serverChannelFactory(boolean domainSocket) {
    return delegate.serverChannelFactory(domainSocket);
  }

  @Override
  public void configure(DatagramChannel channel, DatagramSocketOptions options) {
    delegate.configure(channel, options);
  }

  @Override
  public void configure(ClientOptionsBase options, int connectTimeout, boolean domainSocket,
      io.netty.bootstrap.Bootstrap bootstrap) {
    delegate.configure(options, connectTimeout, domainSocket, bootstrap);
  }
}
