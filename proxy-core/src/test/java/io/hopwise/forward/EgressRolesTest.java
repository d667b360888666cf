package io.hopwise.forward;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.hopwise.ProxyListener;
import io.hopwise.ProxyOptions;
import io.hopwise.ProxyOptionsBuilder;
import io.hopwise.options.RolesOptions;
import io.hopwise.policy.BasicAuth;
import io.hopwise.policy.PortRanges;
import io.hopwise.policy.Role;
import io.hopwise.policy.RoleVerdict;
import io.hopwise.testing.ProxyHarness;
import io.hopwise.testing.RawClient;
import io.hopwise.testing.RecordingOrigin;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Egress roles end to end (issue 26), in the style of Smokescreen's integration matrix: {plain
 * http, https absolute-form, CONNECT, WebSocket} x {allowed, denied} x {enforce, report, open} x {role from the proxy-auth user,
 * from the client's address, static}. Each case asserts the status, what the origin received
 * (nothing when denied), and the decision in the request's or tunnel's record.
 *
 * <p>The origin listens on every loopback address: 127.0.0.1 is the role's allowed destination,
 * 127.0.0.2 one it does not list. Clients of the address-based roles connect from 127.0.0.11-13.
 * The https origin's certificate (made by the JDK's keytool) names both addresses, so a report-deny
 * reaches it too; the proxy trusts it through {@code upstream.caFile}.
 */
class EgressRolesTest {
  private static final String PASSWORD = "pw";

  enum Source { USER, ADDRESS, STATIC }

  enum Kind { HTTP, HTTPS, CONNECT, WEBSOCKET }

  private RecordingOrigin origin;
  private final io.hopwise.testing.RecordingListener recorder = new io.hopwise.testing.RecordingListener();
  private final java.util.concurrent.BlockingQueue<Object> records = recorder.all;

  @org.junit.jupiter.api.io.TempDir
  static java.nio.file.Path keys;
  private static io.vertx.core.Vertx tlsVertx;
  private static io.vertx.core.net.NetServer tlsOrigin;
  /** The request heads the https origin received. */
  private static final java.util.concurrent.BlockingQueue<String> tlsReceived = new java.util.concurrent.LinkedBlockingQueue<>();

  @org.junit.jupiter.api.BeforeAll
  static void startTlsOrigin() throws Exception {
    java.nio.file.Path store = keys.resolve("origin.p12");
    keytool("-genkeypair", "-alias", "origin", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=localhost",
        "-ext", "san=ip:127.0.0.1,ip:127.0.0.2", "-validity", "2", "-keystore", store.toString(),
        "-storetype", "PKCS12", "-storepass", "changeit", "-keypass", "changeit");
    keytool("-exportcert", "-rfc", "-alias", "origin", "-keystore", store.toString(), "-storepass", "changeit",
        "-file", keys.resolve("ca.pem").toString());
    tlsVertx = io.hopwise.testing.TestVertx.create();
    tlsOrigin = tlsVertx.createNetServer(new io.vertx.core.net.NetServerOptions().setHost("0.0.0.0").setPort(0).setSsl(true)
        .setKeyCertOptions(new io.vertx.core.net.PfxOptions().setPath(store.toString()).setPassword("changeit")));
    tlsOrigin.connectHandler(s -> {
      io.vertx.core.buffer.Buffer acc = io.vertx.core.buffer.Buffer.buffer();
      s.handler(b -> {
        acc.appendBuffer(b);
        if (acc.toString().contains("\r\n\r\n")) {
          tlsReceived.add(acc.toString());
          s.write("HTTP/1.1 200 OK\r\nContent-Length: 6\r\n\r\nsecure");
          acc.setBuffer(0, io.vertx.core.buffer.Buffer.buffer());
        }
      });
    });
    tlsOrigin.listen().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private static void keytool(String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(
        java.nio.file.Path.of(System.getProperty("java.home"), "bin", "keytool").toString()));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IllegalStateException("keytool failed: " + out);
    }
  }

  @org.junit.jupiter.api.AfterAll
  static void stopTlsOrigin() throws Exception {
    tlsVertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @BeforeEach
  void startOrigin() throws Exception {
    tlsReceived.clear();
    origin = new RecordingOrigin(InetAddress.getByName("0.0.0.0"));
    origin.setDefaultReply(RecordingOrigin.Reply.ok("hello"));
  }

  @AfterEach
  void stopOrigin() throws Exception {
    origin.close();
  }

  static Stream<Arguments> matrix() {
    List<Arguments> cases = new ArrayList<>();
    for (Source source : Source.values()) {
      for (Kind kind : Kind.values()) {
        for (Role.Mode mode : Role.Mode.values()) {
          for (boolean allowed : new boolean[] {true, false}) {
            cases.add(Arguments.of(source, kind, mode, allowed));
          }
        }
      }
    }
    return cases.stream();
  }

  @ParameterizedTest(name = "{0} {1} {2} allowed={3}")
  @MethodSource
  void matrix(Source source, Kind kind, Role.Mode mode, boolean allowed) throws Exception {
    String name = mode.configName();
    String user = name + "-user";
    InetAddress from = InetAddress.getByName("127.0.0." + (11 + mode.ordinal()));
    Role role = new Role(name, mode, source == Source.USER ? List.of(user) : List.of(),
        source == Source.ADDRESS ? List.of(from.getHostAddress() + "/32") : List.of(), List.of("127.0.0.1"), List.of(),
        PortRanges.NONE, true);
    ProxyOptionsBuilder options = ProxyOptions.builder().setEventLoops(1).setConnectPorts(List.of("1-65535"))
        .setAllowWebSocket(true).setUpstreamCaFile(keys.resolve("ca.pem").toString())
        .setRoles(new RolesOptions(source == Source.STATIC ? name : "", "", List.of(role)));
    String auth = "";
    if (source == Source.USER) {
      options.setAuth(BasicAuth.parseFile(List.of(BasicAuth.hashLine(user, PASSWORD.toCharArray(), new SecureRandom(), 1000))),
          "roles");
      auth = "Proxy-Authorization: Basic "
          + Base64.getEncoder().encodeToString((user + ":" + PASSWORD).getBytes(StandardCharsets.UTF_8)) + "\r\n";
    }
    String host = allowed ? "127.0.0.1" : "127.0.0.2";
    String authority = host + ":" + origin.port();
    boolean refused = !allowed && mode == Role.Mode.ENFORCE;

    try (ProxyHarness proxy = new ProxyHarness(options, recorder);
        RawClient c = new RawClient(proxy.port(), 0, source == Source.ADDRESS ? from : null)) {
      if (kind == Kind.WEBSOCKET) {
        // RFC 6455 1.3's example key and the accept value that answers it.
        origin.setDefaultReply(RecordingOrigin.Reply.raw("HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\n"
            + "Upgrade: websocket\r\nSec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n\r\n").thenClose());
        c.send("GET http://" + authority + "/chat HTTP/1.1\r\nHost: x\r\n" + auth + "Connection: Upgrade\r\n"
            + "Upgrade: websocket\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n");
        String status = c.readHead().lines().findFirst().orElse("");
        assertEquals(refused ? "HTTP/1.1 403" : "HTTP/1.1 101", status.substring(0, Math.min(12, status.length())), status);
      } else if (kind == Kind.HTTPS) {
        c.send("GET https://" + host + ":" + tlsOrigin.actualPort() + "/ HTTP/1.1\r\nHost: x\r\n" + auth + "\r\n");
        RawClient.Response r = c.readResponse();
        assertEquals(refused ? 403 : 200, r.status(), r.head());
      } else if (kind == Kind.HTTP) {
        c.send("GET http://" + authority + "/ HTTP/1.1\r\nHost: x\r\n" + auth + "\r\n");
        assertEquals(refused ? 403 : 200, c.readResponse().status());
      } else {
        c.send("CONNECT " + authority + " HTTP/1.1\r\nHost: " + authority + "\r\n" + auth + "\r\n");
        if (refused) {
          assertEquals(403, c.readResponse().status());
        } else {
          assertEquals("HTTP/1.1 200 Connection established", c.readHead().lines().findFirst().orElse(""));
          c.send("GET / HTTP/1.1\r\nHost: " + authority + "\r\nConnection: close\r\n\r\n");
          assertEquals(200, c.readResponse().status());
        }
      }
    }

    if (refused) {
      assertNull(kind == Kind.HTTPS ? tlsReceived.poll(200, TimeUnit.MILLISECONDS) : origin.pollRequest(200),
          "a denied request reaches nothing");
    } else {
      assertNotNull(kind == Kind.HTTPS ? tlsReceived.poll(5, TimeUnit.SECONDS) : origin.pollRequest(5000),
          "the origin got the request");
    }
    RoleVerdict v = verdictOf(records.poll(5, TimeUnit.SECONDS));
    String expected = mode == Role.Mode.OPEN ? "allow open"
        : allowed ? "allow allow 127.0.0.1/32"
        : mode == Role.Mode.ENFORCE ? "deny not in allow" : "report-deny not in allow";
    assertEquals(name + " " + expected, v.role() + " " + v.outcome().configName() + " " + v.rule());
  }

  private static RoleVerdict verdictOf(Object record) {
    assertNotNull(record, "no record");
    return record instanceof ProxyListener.ExchangeRecord r ? r.verdict() : ((ProxyListener.TunnelRecord) record).verdict();
  }
}
