package io.hopwise.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The server name of real ClientHellos (the JDK's), whole, split at every byte, and across records. */
class ClientHelloTest {
  /** The first bytes a JDK TLS client sends: its ClientHello, asking for {@code sni} (null: none). */
  static byte[] jdkHello(String peerHost, String sni) throws Exception {
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(null, null, null);
    SSLEngine e = peerHost == null ? ctx.createSSLEngine() : ctx.createSSLEngine(peerHost, 443);
    e.setUseClientMode(true);
    SSLParameters p = e.getSSLParameters();
    p.setServerNames(sni == null ? List.of() : List.of(new SNIHostName(sni)));
    e.setSSLParameters(p);
    ByteBuffer out = ByteBuffer.allocate(e.getSession().getPacketBufferSize());
    e.wrap(ByteBuffer.allocate(0), out);
    return Arrays.copyOf(out.array(), out.position());
  }

  private static ClientHello.Result read(byte[] b) {
    return ClientHello.serverName(b, b.length);
  }

  @Test
  void aJdkClientHelloNamesItsServerAtEverySplit() throws Exception {
    byte[] hello = jdkHello("api.example.com", "api.example.com");
    assertEquals(new ClientHello.ServerName("api.example.com"), read(hello));
    for (int k = 0; k < hello.length; k++) {
      assertEquals(ClientHello.NEED_MORE, ClientHello.serverName(Arrays.copyOf(hello, k), k), "prefix of " + k);
    }
    byte[] more = Arrays.copyOf(hello, hello.length + 10); // application data after it changes nothing
    assertEquals(new ClientHello.ServerName("api.example.com"), read(more));
  }

  /** A ClientHello may span TLS records (RFC 8446 5.1); here it is cut into two at every point. */
  @Test
  void aClientHelloAcrossTwoRecords() throws Exception {
    byte[] hello = jdkHello("api.example.com", "api.example.com");
    byte[] payload = Arrays.copyOfRange(hello, 5, hello.length);
    for (int cut = 1; cut < payload.length; cut++) {
      byte[] two = new byte[payload.length + 10];
      record(two, 0, hello, payload, 0, cut);
      record(two, 5 + cut, hello, payload, cut, payload.length);
      assertEquals(new ClientHello.ServerName("api.example.com"), read(two), "cut at " + cut);
      assertEquals(ClientHello.NEED_MORE, ClientHello.serverName(two, two.length - 1), "cut at " + cut + ", last byte missing");
    }
  }

  private static void record(byte[] into, int at, byte[] hello, byte[] payload, int from, int to) {
    System.arraycopy(hello, 0, into, at, 3);
    into[at + 3] = (byte) ((to - from) >> 8);
    into[at + 4] = (byte) (to - from);
    System.arraycopy(payload, from, into, at + 5, to - from);
  }

  static Stream<Arguments> others() throws Exception {
    return Stream.of(
        Arguments.of("no server name asked for", jdkHello(null, null), ClientHello.NoServerName.class),
        Arguments.of("an address: the JDK sends no server name", jdkHello("127.0.0.1", null), ClientHello.NoServerName.class),
        Arguments.of("plain HTTP through a tunnel", "GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII),
            ClientHello.NotTls.class),
        // Issue 26: a one-byte echo through a tunnel waited for four more bytes that never came.
        Arguments.of("one byte that is not TLS", new byte[] {'x'}, ClientHello.NotTls.class),
        Arguments.of("SSH through a tunnel", "SSH-2.0-OpenSSH_9.6\r\n".getBytes(StandardCharsets.US_ASCII), ClientHello.NotTls.class),
        Arguments.of("a handshake record that is not a ClientHello", new byte[] {22, 3, 3, 0, 4, 2, 0, 0, 0}, ClientHello.NotTls.class),
        Arguments.of("a record of length 0", new byte[] {22, 3, 1, 0, 0}, ClientHello.NotTls.class),
        Arguments.of("a ClientHello claiming 1 MB", new byte[] {22, 3, 1, 0, 4, 1, 16, 0, 0}, ClientHello.NotTls.class));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource
  void others(String name, byte[] bytes, Class<?> expected) {
    assertInstanceOf(expected, read(bytes));
  }

  // The SNI check's stated rules, as named cases.
  private static final Role ROLE = new Role("app", Role.Mode.ENFORCE, List.of(), List.of(),
      List.of("api.example.com", "203.0.113.0/24"), List.of(), PortRanges.NONE, true);
  private static final Roles ROLES = Roles.of(List.of(ROLE), null, null);

  static Stream<Arguments> check() {
    ClientHello.Result api = new ClientHello.ServerName("api.example.com");
    ClientHello.Result evil = new ClientHello.ServerName("evil.test");
    ClientHello.Result none = new ClientHello.NoServerName();
    return Stream.of(
        Arguments.of("the name of the CONNECT", "API.example.com.", api, null),
        Arguments.of("another name than the CONNECT's (domain fronting)", "api.example.com", evil,
            "server name evil.test is not the CONNECT host api.example.com"),
        Arguments.of("no name for a CONNECT to a name", "api.example.com", none,
            "no server name in the ClientHello for CONNECT to api.example.com"),
        Arguments.of("no name for a CONNECT to an address", "203.0.113.5", none, null),
        Arguments.of("an allowed name through an address", "203.0.113.5", api, null),
        Arguments.of("a denied name through an allowed address", "203.0.113.5", evil,
            "server name evil.test through an address: role app (not in allow)"),
        Arguments.of("not TLS: not checked here", "api.example.com", new ClientHello.NotTls("x"), null));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource
  void check(String name, String host, ClientHello.Result hello, String expected) {
    if (expected == null) {
      assertNull(SniCheck.mismatch(host, 443, hello, ROLES, ROLE));
    } else {
      assertEquals(expected, SniCheck.mismatch(host, 443, hello, ROLES, ROLE));
    }
  }
}
