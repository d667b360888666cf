package io.hopwise;

import io.hopwise.ProxyListener.CloseReason;
import io.hopwise.http.Origin;

/**
 * One upstream connection that closed (issue 24): who it was, what it served, why it ended and
 * who closed first (that side holds TIME_WAIT; a reset leaves none).
 *
 * @param local our address and port, as text
 * @param remote the origin's address and port, as text
 * @param detail the finer reason, e.g. "Connection: close", "Keep-Alive max reached", "HTTP/1.0"
 * @param atClose the kernel's view of the socket just before it closed; null where the transport cannot say
 */
public record UpstreamConnectionRecord(long id, Origin origin, String local, String remote, int exchanges,
    long ageNanos, CloseReason reason, String detail, FirstToClose first, TcpInfo atClose) {}
