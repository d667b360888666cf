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
 * @param route the route that chose the way (issue 27: {@code default}, {@code bypass},
 *     {@code routes[N]}); null where routes do not apply (dumb mode)
 * @param parent the parent proxy the connection goes through, or null: straight to the origin
 */
public record UpstreamLeg(long connection, boolean reused, long idleNanos, long dnsNanos, long connectNanos,
    long tlsNanos, long waitNanos, long transferNanos, TcpInfo atConnect, TcpInfo atFirstByte, TcpInfo atLastByte,
    String route, String parent) {
  public UpstreamLeg(long connection, boolean reused, long idleNanos, long dnsNanos, long connectNanos,
      long tlsNanos, long waitNanos, long transferNanos, TcpInfo atConnect) {
    this(connection, reused, idleNanos, dnsNanos, connectNanos, tlsNanos, waitNanos, transferNanos, atConnect, null, null,
        null, null);
  }

  /** This leg with the snapshots taken while watched. */
  public UpstreamLeg watched(TcpInfo firstByte, TcpInfo lastByte) {
    return new UpstreamLeg(connection, reused, idleNanos, dnsNanos, connectNanos, tlsNanos, waitNanos, transferNanos,
        atConnect, firstByte, lastByte, route, parent);
  }

  /** This leg, chosen by {@code route} and going through {@code parent} (null: direct). */
  public UpstreamLeg routed(String route, String parent) {
    return new UpstreamLeg(connection, reused, idleNanos, dnsNanos, connectNanos, tlsNanos, waitNanos, transferNanos,
        atConnect, atFirstByte, atLastByte, route, parent);
  }

  /** Whether the route is worth naming: a parent, or a route other than the default. */
  public boolean routeShown() {
    return parent != null || (route != null && !route.equals("default"));
  }
}
