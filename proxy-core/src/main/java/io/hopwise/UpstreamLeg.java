package io.hopwise;

/**
 * An exchange's upstream side (issue 24): the connection that carried it, new or reused, what a
 * new one cost and how long this exchange waited and transferred. Durations in nanoseconds; -1 when
 * a step did not happen (no DNS for an address, no TLS for http).
 *
 * @param connection the upstream connection's id
 * @param reused it had served an exchange before
 * @param idleNanos how long it had sat idle in the pool before this exchange (0 when new)
 * @param dnsNanos resolving the name, on a new connection
 * @param connectNanos the TCP handshake, on a new connection
 * @param tlsNanos the TLS handshake, on a new https connection
 * @param waitNanos from the request head written to the response head read (the origin's think time and one round trip)
 * @param transferNanos from the response head to the body's end
 * @param atConnect the kernel's view of the socket once connected (new connections only); null where the transport cannot say
 * @param atFirstByte the same as the response head came, and {@code atLastByte} as the exchange
 *     ended: taken only while someone watches the connection view (two system calls per exchange
 *     otherwise spent for nobody); null else
 */
public record UpstreamLeg(long connection, boolean reused, long idleNanos, long dnsNanos, long connectNanos,
    long tlsNanos, long waitNanos, long transferNanos, TcpInfo atConnect, TcpInfo atFirstByte, TcpInfo atLastByte) {
  public UpstreamLeg(long connection, boolean reused, long idleNanos, long dnsNanos, long connectNanos,
      long tlsNanos, long waitNanos, long transferNanos, TcpInfo atConnect) {
    this(connection, reused, idleNanos, dnsNanos, connectNanos, tlsNanos, waitNanos, transferNanos, atConnect, null, null);
  }

  /** This leg with the snapshots taken while watched. */
  public UpstreamLeg watched(TcpInfo firstByte, TcpInfo lastByte) {
    return new UpstreamLeg(connection, reused, idleNanos, dnsNanos, connectNanos, tlsNanos, waitNanos, transferNanos,
        atConnect, firstByte, lastByte);
  }
}
