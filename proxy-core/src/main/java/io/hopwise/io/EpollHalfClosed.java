package io.hopwise.io;

import io.netty.channel.Channel;
import java.lang.reflect.Method;

/**
 * Keeps an epoll socket whose peer has half-closed in Netty's epoll set, so a later write that
 * fills the socket buffer can still wait for room (issue 22).
 *
 * <p>Why: Netty 4.2.18's epoll removes a socket from the epoll set when no interest is left
 * (EPOLL_CTL_DEL once the peer's FIN has cleared read interest and no write is waiting) but keeps
 * it marked as added; the next write that must wait for room asks for EPOLL_CTL_MOD, which fails
 * with ENOENT, and Netty shuts the output down with the rest of the bytes still queued: the peer
 * sees a clean FIN after a short stream. It happens whenever a client half-closes and then reads a
 * large answer (an HTTP client that shuts down its output after its request, a tunnel whose
 * client half-closes early). Adding the edge-triggered flag, which asks for no event, keeps the
 * interest set non-empty, so Netty never removes the socket: nothing is waited for, and the
 * error and hang-up conditions the kernel always reports come at most once each (edge-triggered),
 * so there is no busy loop. {@code setFlag} is not public, hence reflection; where it cannot be
 * reached (another Netty), a write never stops for its spin count once the peer has half-closed,
 * which covers a write in progress at the FIN but not one that starts later.
 */
final class EpollHalfClosed {
  private static final System.Logger LOG = System.getLogger("io.hopwise.connections");

  private EpollHalfClosed() {}

  /** Called on the channel's event loop when the peer's FIN has arrived. */
  static void keepRegistered(Channel channel) {
    if (channel == null || !channel.getClass().getName().startsWith("io.netty.channel.epoll.")) {
      return;
    }
    if (EdgeFlag.SET_FLAG != null) {
      try {
        EdgeFlag.SET_FLAG.invoke(channel, EdgeFlag.EPOLLET);
        return;
      } catch (ReflectiveOperationException | RuntimeException e) {
        LOG.log(System.Logger.Level.DEBUG, () -> "epoll flag not set: " + e);
      }
    }
    channel.config().setWriteSpinCount(Integer.MAX_VALUE);
  }

  /** Whether this Netty's epoll {@code setFlag} was found (a Netty upgrade that moves it fails a test). */
  static boolean edgeFlagReachable() {
    return EdgeFlag.SET_FLAG != null && EdgeFlag.EPOLLET != 0;
  }

  /** Looked up on first use, that is only once an epoll channel exists (epoll is a runtime dependency). */
  private static final class EdgeFlag {
    static final int EPOLLET;
    static final Method SET_FLAG;

    static {
      int flag = 0;
      Method m = null;
      try {
        flag = Class.forName("io.netty.channel.epoll.Native").getField("EPOLLET").getInt(null);
        m = Class.forName("io.netty.channel.epoll.AbstractEpollChannel").getDeclaredMethod("setFlag", int.class);
        m.setAccessible(true);
      } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
        LOG.log(System.Logger.Level.WARNING, "Netty's epoll setFlag is out of reach (" + e
            + "); a large write to a half-closed peer may be cut on epoll (docs/transports.md)");
        m = null;
      }
      EPOLLET = flag;
      SET_FLAG = m;
    }
  }
}
