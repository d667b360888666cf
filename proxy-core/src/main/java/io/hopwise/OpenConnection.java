package io.hopwise;

/**
 * A connection open now, as the connection view lists it (issue 24).
 *
 * @param leg "client" or "upstream"
 * @param state what it is doing: reading head, waiting for upstream, streaming, idle, lingering,
 *     tunnel (client); in use, idle (upstream)
 * @param exchanges requests served on it so far
 * @param idleNanos how long it has been idle (0 when busy)
 * @param origin the origin (upstream connections), or null
 * @param detail what else the view shows: for upstream, the Keep-Alive budget learned and the
 *     time to idle expiry; may be empty
 * @param tcp the kernel's view of the socket now (its bytes acknowledged and received, rtt, cwnd);
 *     null where the transport cannot say
 */
public record OpenConnection(String leg, long id, String local, String remote, long ageNanos, String state,
    int exchanges, long idleNanos, String origin, String detail, TcpInfo tcp) {}
