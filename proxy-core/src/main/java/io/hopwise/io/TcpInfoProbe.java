package io.hopwise.io;

import io.hopwise.TcpInfo;
import io.netty.channel.Channel;
import io.vertx.core.internal.net.NetSocketInternal;
import io.vertx.core.net.NetSocket;

/**
 * The kernel's {@code TCP_INFO} for a socket (issue 24), where the transport can ask: Netty's
 * epoll and io_uring channels call getsockopt(TCP_INFO); Java NIO has no way to (the JDK's
 * extended socket options stop at keep-alive settings), so there the answer is null, shown as
 * "not available on this transport" rather than zeros. One system call per snapshot: taken at
 * connection events, not per byte. Read with one getsockopt through JNA (TcpInfoSyscall), which
 * gets the pacing and delivery rates too; Netty's tcpInfo() (no rates) where JNA cannot.
 */
public final class TcpInfoProbe {
  private TcpInfoProbe() {}

  /** A snapshot, or null where the transport cannot say or the socket is already gone. */
  public static TcpInfo of(NetSocket socket) {
    if (!(socket instanceof NetSocketInternal internal)) {
      return null;
    }
    Channel ch = internal.channelHandlerContext().channel();
    if (!ch.isOpen()) {
      return null;
    }
    String name = ch.getClass().getName();
    try {
      // One getsockopt for the whole structure, rates included, where JNA can make it.
      boolean nativeChannel = name.startsWith("io.netty.channel.epoll.") || name.startsWith("io.netty.channel.uring.");
      if (nativeChannel && TcpInfoSyscall.available()) {
        TcpInfo full = Unix.read(ch);
        if (full != null) {
          return full;
        }
      }
      // Each transport's classes are touched only when one of its channels exists.
      if (name.startsWith("io.netty.channel.epoll.")) {
        return Epoll.of(ch);
      }
      if (name.startsWith("io.netty.channel.uring.")) {
        return IoUring.of(ch);
      }
    } catch (RuntimeException e) { // closed under us: the kernel has nothing more to say
      return null;
    }
    return null;
  }

  /** Touched only for epoll and io_uring channels, whose Unix classes are then there. */
  private static final class Unix {
    static TcpInfo read(Channel ch) {
      return ch instanceof io.netty.channel.unix.UnixChannel unix ? TcpInfoSyscall.read(unix.fd().intValue()) : null;
    }
  }

  private static final class Epoll {
    static TcpInfo of(Channel ch) {
      if (!(ch instanceof io.netty.channel.epoll.EpollSocketChannel epoll)) {
        return null;
      }
      io.netty.channel.epoll.EpollTcpInfo i = epoll.tcpInfo();
      return new TcpInfo(i.rtt(), i.rttvar(), i.sndCwnd(), i.sndSsthresh(), i.retransmits(), i.totalRetrans(), i.unacked());
    }
  }

  private static final class IoUring {
    static TcpInfo of(Channel ch) {
      if (!(ch instanceof io.netty.channel.uring.IoUringSocketChannel uring)) {
        return null;
      }
      io.netty.channel.uring.IoUringTcpInfo i = uring.tcpInfo();
      return new TcpInfo(i.rtt(), i.rttvar(), i.sndCwnd(), i.sndSsthresh(), i.retransmits(), i.totalRetrans(), i.unacked());
    }
  }
}
