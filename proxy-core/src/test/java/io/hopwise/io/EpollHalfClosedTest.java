package io.hopwise.io;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The workaround for Netty 4.2.18's epoll (a half-closed peer's socket dropped from the epoll set)
 * reaches a non-public method; this pins it, so a Netty upgrade that moves it is seen here and not
 * as a cut body in production. The behaviour itself is tested on epoll by PeerCloseOrderTest
 * (largeResponseReachesAClientThatHalfClosedRightAfterItsRequest, tunnelDeliversBurstsSentAfterTheClientsHalfClose).
 */
class EpollHalfClosedTest {
  @Test
  void nettysEpollSetFlagIsReachable() {
    assertTrue(EpollHalfClosed.edgeFlagReachable(),
        "io.netty.channel.epoll.AbstractEpollChannel.setFlag(int) or Native.EPOLLET moved: re-check issue 22's epoll workaround");
  }
}
