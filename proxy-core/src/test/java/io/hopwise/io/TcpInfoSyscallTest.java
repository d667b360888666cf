package io.hopwise.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.hopwise.TcpInfo;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** Linux's struct tcp_info at the offsets the kernel header gives (issue 24). */
class TcpInfoSyscallTest {
  private static byte[] struct(int length) {
    ByteBuffer b = ByteBuffer.allocate(232).order(ByteOrder.nativeOrder());
    b.put(2, (byte) 3);          // tcpi_retransmits
    b.putInt(24, 4);             // tcpi_unacked
    b.putInt(68, 1500);          // tcpi_rtt (us)
    b.putInt(72, 250);           // tcpi_rttvar
    b.putInt(76, 0x7fffffff);    // tcpi_snd_ssthresh (still in slow start)
    b.putInt(80, 10);            // tcpi_snd_cwnd
    b.putInt(100, 7);            // tcpi_total_retrans
    b.putLong(104, 1_250_000L);  // tcpi_pacing_rate (bytes/s)
    b.putLong(120, 5_000L);      // tcpi_bytes_acked
    b.putLong(128, 70_000L);     // tcpi_bytes_received
    b.putLong(160, 987_654L);    // tcpi_delivery_rate
    return b.array();
  }

  @Test
  void readsEveryFieldItShows() {
    assertEquals(new TcpInfo(1500, 250, 10, 0x7fffffff, 3, 7, 4, 1_250_000, 987_654, 5_000, 70_000),
        TcpInfoSyscall.parse(struct(232), 232));
  }

  @Test
  void aKernelBefore4_9HasNoDeliveryRate() {
    assertEquals(-1, TcpInfoSyscall.parse(struct(232), 160).deliveryRate());
    assertEquals(1_250_000, TcpInfoSyscall.parse(struct(232), 160).pacingRate());
  }

  @Test
  void tooShortIsNothing() {
    assertNull(TcpInfoSyscall.parse(struct(232), 100));
  }

  /**
   * The native call itself, on a real connected socket (Netty's epoll channel gives its
   * descriptor): the kernel's answer is parsed (a loopback connection that carried bytes has a
   * round-trip time, and those bytes were acknowledged).
   */
  @Test
  void readsTheKernelsAnswerForARealSocket() throws Exception {
    Assumptions.assumeTrue(io.netty.channel.epoll.Epoll.isAvailable(), "needs Netty's epoll transport");
    Assumptions.assumeTrue(TcpInfoSyscall.available(), "needs JNA and libc");
    var group = new io.netty.channel.MultiThreadIoEventLoopGroup(1, io.netty.channel.epoll.EpollIoHandler.newFactory());
    try (java.net.ServerSocket server = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      io.netty.channel.Channel ch = new io.netty.bootstrap.Bootstrap().group(group)
          .channel(io.netty.channel.epoll.EpollSocketChannel.class)
          .handler(new io.netty.channel.ChannelInboundHandlerAdapter())
          .connect(server.getLocalSocketAddress()).sync().channel();
      try (java.net.Socket peer = server.accept()) {
        ch.writeAndFlush(io.netty.buffer.Unpooled.wrappedBuffer(new byte[1000])).sync();
        peer.getInputStream().readNBytes(1000);
        TcpInfo info = TcpInfoSyscall.read(((io.netty.channel.unix.UnixChannel) ch).fd().intValue());
        org.junit.jupiter.api.Assertions.assertNotNull(info, "no answer from getsockopt(TCP_INFO)");
        org.junit.jupiter.api.Assertions.assertTrue(info.rttMicros() > 0, "rtt " + info);
      } finally {
        ch.close().sync();
      }
    } finally {
      group.shutdownGracefully(0, 0, java.util.concurrent.TimeUnit.MILLISECONDS).sync();
    }
  }

  @Test
  void aDescriptorThatIsNoSocketIsNothing() {
    Assumptions.assumeTrue(TcpInfoSyscall.available(), "needs JNA and libc");
    assertNull(TcpInfoSyscall.read(-1));
  }
}
