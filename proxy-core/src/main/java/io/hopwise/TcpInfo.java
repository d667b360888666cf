package io.hopwise;

/**
 * What the kernel knows about one TCP connection at one moment (Linux {@code TCP_INFO}, through
 * Netty's epoll and io_uring transports; Java NIO has no way to ask, so there it is absent, never
 * zeros). Times in microseconds, windows in segments.
 *
 * @param rttMicros smoothed round-trip time
 * @param rttVarMicros its variation
 * @param sndCwnd congestion window
 * @param sndSsthresh slow-start threshold (a very large value: still in slow start)
 * @param retransmits retransmissions of the segment now at the head (current episode)
 * @param totalRetrans segments retransmitted over the connection's life
 * @param unacked segments sent and not yet acknowledged
 * @param pacingRate the kernel's pacing rate, bytes per second; -1 where unknown
 * @param deliveryRate the most recent delivery rate sample, bytes per second (Linux 4.9+); -1 where unknown
 * @param bytesAcked bytes this side sent that the peer acknowledged (Linux 4.1+); -1 where unknown
 * @param bytesReceived bytes this side received (Linux 4.1+); -1 where unknown
 */
public record TcpInfo(long rttMicros, long rttVarMicros, long sndCwnd, long sndSsthresh, int retransmits,
    long totalRetrans, long unacked, long pacingRate, long deliveryRate, long bytesAcked, long bytesReceived) {
  /** Without the rates and byte counts (where only the older fields could be read). */
  public TcpInfo(long rttMicros, long rttVarMicros, long sndCwnd, long sndSsthresh, int retransmits, long totalRetrans,
      long unacked) {
    this(rttMicros, rttVarMicros, sndCwnd, sndSsthresh, retransmits, totalRetrans, unacked, -1, -1, -1, -1);
  }
}
