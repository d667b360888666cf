package io.hopwise;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hopwise.http.Origin;
import io.hopwise.options.UpstreamOptions;
import io.hopwise.policy.ForwardedHeaders;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Options are immutable sections with their defaults and checks; the builder is for code and tests. */
class ProxyOptionsTest {
  private static ProxyOptions notTheDefaults() {
    return ProxyOptions.builder().setMode(ProxyOptions.Mode.DUMB).setHost("::1").setPort(9).setPseudonym("edge")
        .setDefaultUpstream(Origin.parse("http://127.0.0.1:8080")).setMaxConnectionsPerOrigin(3).setMaxWaitQueue(4)
        .setConnectTimeout(Duration.ofSeconds(1)).setResponseTimeout(Duration.ofSeconds(2))
        .setPoolIdleTimeout(Duration.ofSeconds(3)).setPoolMaxLifetime(Duration.ofSeconds(4))
        .setLingerTimeout(Duration.ofSeconds(5)).setClientIdleTimeout(Duration.ofSeconds(6)).setEventLoops(7)
        .setHeadTimeout(Duration.ofSeconds(8)).setUpstreamPipelining(2).setAllowWebSocket(true).setAllowTrace(true)
        .setConnectionLimits(10, 11).setMaxRequestBodyBytes(12).setConnectPorts(List.of(443, 8443))
        .setTunnelIdleTimeout(Duration.ofSeconds(13)).setHonorHttp10KeepAlive(true)
        .setForwarded(ForwardedHeaders.Mode.BOTH, List.of("10.0.0.0/8")).setClientAccess(List.of("10.0.0.0/8"), true)
        .setRoles(new io.hopwise.options.RolesOptions("", "r", List.of(new io.hopwise.policy.Role("r",
            io.hopwise.policy.Role.Mode.REPORT, List.of(), List.of(), List.of("example.com"), List.of(),
            io.hopwise.policy.PortRanges.NONE, true))))
        .setView(new io.hopwise.options.ViewOptions(5, true))
        .setParents(io.hopwise.options.ParentsOptions.of(List.of(io.hopwise.options.ParentsOptions.ParentSpec.of("corp",
            "http://proxy.corp.example:3128", null, "CORP_AUTH")), null, "corp", List.of("localhost"), Duration.ofSeconds(9)),
            java.util.Map.of("corp", "hop:secret"))
        .build();
  }

  /** toBuilder is how code changes one value of running options: it must carry every other one. */
  @Test
  void toBuilderCarriesEveryOption() throws Exception {
    ProxyOptions o = notTheDefaults();
    ProxyOptions again = o.toBuilder().build();
    int compared = 0;
    for (Method m : ProxyOptions.class.getMethods()) {
      if (m.getParameterCount() == 0 && m.getDeclaringClass() == ProxyOptions.class && !Modifier.isStatic(m.getModifiers())
          && m.getName().matches("mode|host|port|pseudonym|eventLoops|limits|upstream|client|connect|access|security|roles|auth|parents")) {
        assertEquals(m.invoke(o), m.invoke(again), m.getName());
        compared++;
      }
    }
    assertEquals(14, compared);
    // The parents' credentials are not a section's value: they must come along too.
    assertEquals("Basic aG9wOnNlY3JldA==", again.routes().route("example.com").parents().get(0).authorization());
    for (Method m : ProxyOptions.class.getMethods()) {
      if (m.getParameterCount() == 0 && m.getDeclaringClass() == ProxyOptions.class && !Modifier.isStatic(m.getModifiers())
          && m.getReturnType().getPackageName().equals("io.hopwise.options")) {
        assertNotEquals(m.invoke(ProxyOptions.DEFAULTS), m.invoke(o), m.getName() + ": the test must set a value in every section");
      }
    }
  }

  /** A one-value setter keeps the rest of its section. */
  @Test
  void oneValueSettersKeepTheRestOfTheSection() {
    ProxyOptions o = notTheDefaults().toBuilder().setConnectTimeout(Duration.ofSeconds(42)).build();
    assertEquals(Duration.ofSeconds(42), o.upstream().connectTimeout());
    assertEquals(3, o.upstream().maxConnectionsPerOrigin());
    assertEquals(Duration.ofSeconds(2), o.upstream().responseTimeout());
    assertEquals("http://127.0.0.1:8080", String.valueOf(o.upstream().defaultUpstream()));
  }

  @Test
  void derivedValuesFollowTheirSections() {
    ProxyOptions o = notTheDefaults();
    assertEquals("1.1 edge", o.via().value(io.hopwise.http.HttpVersion.HTTP_1_1));
    assertEquals(ForwardedHeaders.Mode.BOTH, o.forwarded().mode());
    assertTrue(o.access().refuseClientsByClosing());
    assertEquals(7, o.eventLoops());
    assertEquals(Runtime.getRuntime().availableProcessors(), ProxyOptions.DEFAULTS.eventLoops(), "0 means one per core");
  }

  /** The checks live in the records, and their messages start with the key's name (the loader adds the section). */
  @Test
  void checksNameTheKey() {
    var e = assertThrows(IllegalArgumentException.class,
        () -> ProxyOptions.builder().setPoolIdleTimeout(Duration.ZERO));
    assertEquals("idleTimeout must be a positive duration, got PT0S", e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> UpstreamOptions.of(null, 0, null, null, null, null, null, null, null));
    assertEquals("maxConnectionsPerOrigin must be >= 1, got 0", e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> ProxyOptions.builder().setPort(70000).build());
    assertEquals("port must be 0-65535, got 70000", e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> ProxyOptions.builder().setClientAccess(List.of("x"), false));
    assertTrue(e.getMessage().contains("x"), e.getMessage());
  }

  // Issue 26: Node's fetch through a proxy (undici's ProxyAgent, NODE_USE_ENV_PROXY) tunnels even
  // http:// URLs with CONNECT host:80; with [443] it failed with only "fetch failed". Long polls
  // held their answer past the old 60 s response timeout and became 504s.
  @Test
  void defaultsLetNodeFetchAndLongPollingThrough() {
    assertTrue(ProxyOptions.DEFAULTS.connect().ports().contains(80));
    assertTrue(ProxyOptions.DEFAULTS.connect().ports().contains(443));
    assertTrue(!ProxyOptions.DEFAULTS.connect().ports().contains(25), "not a relay for mail or anything else");
    assertEquals(Duration.ofMinutes(15), ProxyOptions.DEFAULTS.upstream().responseTimeout());
  }
}
