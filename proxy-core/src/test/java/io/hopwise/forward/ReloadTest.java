package io.hopwise.forward;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hopwise.ProxyOptions;
import io.hopwise.ProxyOptionsBuilder;
import io.hopwise.options.RolesOptions;
import io.hopwise.policy.PortRanges;
import io.hopwise.policy.Role;
import io.hopwise.testing.ProxyHarness;
import io.hopwise.testing.RawClient;
import io.hopwise.testing.RecordingOrigin;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Options put in force on a running proxy, as a reload does (issue 26): new requests (also on a
 * connection kept alive from before), new tunnels and new connections take them; a request or
 * tunnel in flight keeps the options it started with; a change that needs a restart is refused
 * whole.
 */
class ReloadTest {
  @RegisterExtension
  final RecordingOrigin origin = RecordingOrigin.perTest();

  /** One enforcing role, static (a sidecar's), that allows {@code allowed} only. */
  private static ProxyOptionsBuilder allowing(String allowed) {
    Role role = new Role("app", Role.Mode.ENFORCE, List.of(), List.of(), List.of(allowed), List.of(), PortRanges.NONE, true);
    return ProxyOptions.builder().setEventLoops(1).setConnectPorts(List.of("1-65535"))
        .setRoles(new RolesOptions("app", "", List.of(role)));
  }

  private String get(String path) {
    return "GET http://127.0.0.1:" + origin.port() + path + " HTTP/1.1\r\nHost: x\r\n\r\n";
  }

  @Test
  void aKeptAliveConnectionsNextRequestRunsUnderTheNewRules() throws Exception {
    try (ProxyHarness proxy = new ProxyHarness(allowing("127.0.0.1")); RawClient c = proxy.client()) {
      c.send(get("/before"));
      assertEquals(200, c.readResponse().status());
      assertNotNull(origin.pollRequest(5000));

      proxy.apply(allowing("127.0.0.3"));
      c.send(get("/after"));
      assertEquals(403, c.readResponse().status(), "the same connection's next request is under the new role");
      assertNull(origin.pollRequest(200), "and reached nothing");
    }
  }

  @Test
  void aRequestInFlightKeepsTheOptionsItStartedWith() throws Exception {
    origin.enqueue(RecordingOrigin.Reply.ok("slow").after(500));
    try (ProxyHarness proxy = new ProxyHarness(allowing("127.0.0.1")); RawClient c = proxy.client()) {
      c.send(get("/slow"));
      assertNotNull(origin.pollRequest(5000), "the request reached the origin before the reload");
      proxy.apply(allowing("127.0.0.3"));
      RawClient.Response r = c.readResponse();
      assertEquals(200, r.status());
      assertEquals("slow", r.bodyText());
    }
  }

  @Test
  void anOpenTunnelOutlivesARuleThatWouldDenyIt() throws Exception {
    String authority = "127.0.0.1:" + origin.port();
    try (ProxyHarness proxy = new ProxyHarness(allowing("127.0.0.1")); RawClient tunnel = proxy.client();
        RawClient later = proxy.client()) {
      tunnel.send("CONNECT " + authority + " HTTP/1.1\r\nHost: " + authority + "\r\n\r\n");
      assertEquals("HTTP/1.1 200 Connection established", tunnel.readHead().lines().findFirst().orElse(""));

      proxy.apply(allowing("127.0.0.3"));
      tunnel.send("GET /through HTTP/1.1\r\nHost: " + authority + "\r\n\r\n");
      assertEquals(200, tunnel.readResponse().status(), "bytes still flow through the tunnel opened before");
      assertEquals("GET /through HTTP/1.1", origin.takeRequest().requestLine());

      later.send("CONNECT " + authority + " HTTP/1.1\r\nHost: " + authority + "\r\n\r\n");
      assertEquals(403, later.readResponse().status(), "a new tunnel is under the new role");
    }
  }

  @Test
  void aChangeThatNeedsARestartIsRefusedWholeAndTheOldOptionsStay() throws Exception {
    try (ProxyHarness proxy = new ProxyHarness(allowing("127.0.0.1")); RawClient c = proxy.client()) {
      ProxyOptions before = proxy.proxy().options();
      ExecutionException e = assertThrows(ExecutionException.class,
          () -> proxy.apply(allowing("127.0.0.3").setMode(ProxyOptions.Mode.DUMB).setEventLoops(2)));
      assertEquals("mode, eventLoops cannot change without a restart", e.getCause().getMessage());
      assertSame(before, proxy.proxy().options());
      c.send(get("/still"));
      assertEquals(200, c.readResponse().status(), "the old role is still in force");
    }
  }

  @Test
  void connectionLimitsFromAReloadCountTheConnectionsAlreadyOpen() throws Exception {
    try (ProxyHarness proxy = new ProxyHarness(ProxyOptions.builder().setEventLoops(1));
        RawClient first = proxy.client(); RawClient second = proxy.client()) {
      first.send(get("/a"));
      assertEquals(200, first.readResponse().status());
      second.send(get("/b"));
      assertEquals(200, second.readResponse().status());

      proxy.apply(ProxyOptions.builder().setEventLoops(1).setConnectionLimits(0, 2));
      try (RawClient third = proxy.client()) {
        third.send(get("/c"));
        RawClient.Response r = third.readResponse();
        assertEquals(503, r.status());
        assertTrue(r.bodyText().contains("too many connections from 127.0.0.1 (limit 2)"), r.bodyText());
      }
      first.close();
      // The slot comes back when the proxy has seen the close: bounded wait.
      int status = 0;
      for (int i = 0; i < 50 && status != 200; i++) {
        try (RawClient fourth = proxy.client()) {
          fourth.send(get("/d"));
          status = fourth.readResponse().status();
        }
        if (status != 200) {
          TimeUnit.MILLISECONDS.sleep(20);
        }
      }
      assertEquals(200, status);
    }
  }
}
