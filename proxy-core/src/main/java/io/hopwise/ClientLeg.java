package io.hopwise;

/**
 * An exchange's client side (issue 24): which client connection carried it and the how-manieth
 * request on it it was; the first request is the one that paid for the connection.
 *
 * @param connection the client connection's id (as in the debug log's {@code conn#7})
 * @param request 1 for the connection's first request
 * @param atLastByte the kernel's view of the client socket as the exchange ended, taken only while
 *     someone watches the connection view; null else, or where the transport cannot say
 */
public record ClientLeg(long connection, int request, TcpInfo atLastByte) {
  public static final ClientLeg NONE = new ClientLeg(0, 0);

  public ClientLeg(long connection, int request) {
    this(connection, request, null);
  }

  public boolean isNew() {
    return request == 1;
  }
}
