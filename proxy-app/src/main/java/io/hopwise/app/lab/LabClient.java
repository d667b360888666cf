package io.hopwise.app.lab;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** The lab's client side: connections to the proxy, requests for the origin, responses read whole. */
final class LabClient {
  private LabClient() {}

  /** A connection to the proxy; call on the client namespace's thread. */
  static Socket connect(int proxyPort, boolean noDelay) throws IOException {
    Socket s = new Socket();
    s.setTcpNoDelay(noDelay);
    s.setSoTimeout(60_000);
    s.connect(new InetSocketAddress(LabNetwork.PROXY_ADDRESS, proxyPort), 10_000);
    return s;
  }

  static String request(String path, boolean close) {
    return "GET http://" + LabNetwork.ORIGIN_ADDRESS + ":" + LabOrigin.PORT + path + " HTTP/1.1\r\nHost: "
        + LabNetwork.ORIGIN_ADDRESS + ":" + LabOrigin.PORT + "\r\n" + (close ? "Connection: close\r\n" : "") + "\r\n";
  }

  static void send(Socket s, String text) throws IOException {
    s.getOutputStream().write(text.getBytes(StandardCharsets.ISO_8859_1));
    s.getOutputStream().flush();
  }

  /** Reads one 200 response with a Content-Length body; returns the body. */
  static byte[] readResponse(InputStream in) throws IOException {
    String head = LabOrigin.readHead(in);
    if (head == null || !head.startsWith("HTTP/1.1 200")) {
      throw new IOException("the proxy answered: " + (head == null ? "nothing" : head.lines().findFirst().orElse("")));
    }
    int length = 0;
    for (String line : head.split("\r\n")) {
      if (line.regionMatches(true, 0, "Content-Length:", 0, 15)) {
        length = Integer.parseInt(line.substring(15).strip());
      }
    }
    byte[] body = in.readNBytes(length);
    if (body.length != length) {
      throw new IOException("the body ended after " + body.length + " of " + length + " bytes");
    }
    return body;
  }

  /** A head field's value, or "" when it has none. */
  static String field(String head, String name) {
    for (String line : head.split("\r\n")) {
      if (line.regionMatches(true, 0, name + ":", 0, name.length() + 1)) {
        return line.substring(name.length() + 1).strip();
      }
    }
    return "";
  }

  /** A head's lines, indented for the lab's printed tables. */
  static String indented(String head) {
    StringBuilder sb = new StringBuilder();
    for (String line : head.split("\r\n")) {
      if (!line.isEmpty()) {
        sb.append("      ").append(line).append('\n');
      }
    }
    return sb.toString();
  }
}
