package io.hopwise.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/** A raw-socket HTTP client for tests: writes exact bytes, reads exact responses. */
public final class RawClient implements AutoCloseable {
  private final Socket socket;
  private final InputStream in;

  public RawClient(int port) throws IOException {
    this(port, 0);
  }

  /**
   * @param socketBuffers if positive, fixed send and receive buffer sizes: this machine lets TCP
   *     autotune loopback buffers up to 32 MB, which would hide whether the proxy holds data back
   */
  public RawClient(int port, int socketBuffers) throws IOException {
    this(port, socketBuffers, null);
  }

  /** @param from the local address to connect from (another loopback address, say); null: any */
  public RawClient(int port, int socketBuffers, InetAddress from) throws IOException {
    socket = new Socket();
    if (from != null) {
      socket.bind(new java.net.InetSocketAddress(from, 0));
    }
    if (socketBuffers > 0) {
      socket.setReceiveBufferSize(socketBuffers);
      socket.setSendBufferSize(socketBuffers);
    }
    socket.connect(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), port));
    socket.setSoTimeout(10_000);
    socket.setTcpNoDelay(true);
    in = socket.getInputStream();
  }

  public RawClient send(String raw) throws IOException {
    socket.getOutputStream().write(raw.getBytes(StandardCharsets.ISO_8859_1));
    socket.getOutputStream().flush();
    return this;
  }

  public RawClient send(byte[] raw) throws IOException {
    socket.getOutputStream().write(raw);
    socket.getOutputStream().flush();
    return this;
  }

  public Socket socket() {
    return socket;
  }

  public InputStream input() {
    return in;
  }

  /** A parsed response: head text and de-framed body. */
  public record Response(String head, byte[] body, String trailers) {
    public int status() {
      return Integer.parseInt(head.substring(9, 12));
    }

    public String bodyText() {
      return new String(body, StandardCharsets.ISO_8859_1);
    }

    /** First value of a field, case-insensitive, or null. */
    public String field(String name) {
      for (String line : head.split("\r\n")) {
        int colon = line.indexOf(':');
        if (colon > 0 && line.substring(0, colon).equalsIgnoreCase(name)) {
          return line.substring(colon + 1).trim();
        }
      }
      return null;
    }
  }

  /** Reads one response to a non-HEAD request. */
  public Response readResponse() throws IOException {
    return readResponse(false);
  }

  public Response readResponse(boolean toHead) throws IOException {
    String head = readHead();
    if (head == null) {
      throw new IOException("connection closed before a response head");
    }
    String lower = head.toLowerCase(Locale.ROOT);
    int status = Integer.parseInt(head.substring(9, 12));
    if (toHead || status == 204 || status == 304 || (status >= 100 && status < 200)) {
      return new Response(head, new byte[0], "");
    }
    if (lower.contains("\r\ntransfer-encoding: chunked")) {
      ByteArrayOutputStream body = new ByteArrayOutputStream();
      while (true) {
        String size = readLine();
        int n = Integer.parseInt(size.split(";")[0].trim(), 16);
        if (n == 0) {
          StringBuilder trailers = new StringBuilder();
          String line;
          while (!(line = readLine()).isEmpty()) {
            trailers.append(line).append("\r\n");
          }
          return new Response(head, body.toByteArray(), trailers.toString());
        }
        body.write(in.readNBytes(n));
        if (in.readNBytes(2).length != 2) {
          throw new IOException("chunk not terminated");
        }
      }
    }
    int i = lower.indexOf("\r\ncontent-length:");
    if (i >= 0) {
      int end = lower.indexOf("\r\n", i + 2);
      int n = Integer.parseInt(lower.substring(i + 17, end).trim());
      byte[] body = in.readNBytes(n);
      if (body.length != n) {
        throw new IOException("body ended early: " + body.length + " of " + n);
      }
      return new Response(head, body, "");
    }
    return new Response(head, in.readAllBytes(), "");
  }

  public String readHead() throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    int c;
    while ((c = in.read()) >= 0) {
      b.write(c);
      byte[] a = b.toByteArray();
      int n = a.length;
      if (n >= 4 && a[n - 4] == '\r' && a[n - 3] == '\n' && a[n - 2] == '\r' && a[n - 1] == '\n') {
        return new String(a, StandardCharsets.ISO_8859_1);
      }
    }
    return null;
  }

  private String readLine() throws IOException {
    StringBuilder sb = new StringBuilder();
    int c;
    while ((c = in.read()) >= 0) {
      if (c == '\n') {
        return sb.toString().replace("\r", "");
      }
      sb.append((char) c);
    }
    throw new IOException("eof while reading a line");
  }

  /** True if the peer closed the connection (EOF) within the socket timeout. */
  public boolean closedByPeer(int timeoutMillis) throws IOException {
    socket.setSoTimeout(timeoutMillis);
    try {
      return in.read() < 0;
    } catch (SocketTimeoutException e) {
      return false;
    } catch (IOException e) {
      return true; // reset
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
