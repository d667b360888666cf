package io.hopwise;

import java.util.List;

/**
 * What the connection view shows (issue 24), gathered from every event loop: the connections
 * open now, and the recent records each loop kept in its rings (oldest first within a loop).
 *
 * @param transport the socket transport, and so whether TCP_INFO can be read
 * @param tcpInfoAvailable false on a transport that cannot ask the kernel (NIO)
 */
public record ConnectionsSnapshot(String transport, boolean tcpInfoAvailable, List<OpenConnection> open,
    List<Timed<ProxyListener.ExchangeRecord>> exchanges, List<Timed<ProxyListener.TunnelRecord>> tunnels,
    List<Timed<ProxyListener.ClientConnectionRecord>> clientClosed, List<Timed<UpstreamConnectionRecord>> upstreamClosed) {}
