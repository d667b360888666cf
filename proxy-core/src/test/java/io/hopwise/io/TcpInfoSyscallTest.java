package io.hopwise.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.hopwise.TcpInfo;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
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
}
