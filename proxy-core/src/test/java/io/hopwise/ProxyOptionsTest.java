package io.hopwise;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hopwise.http.Origin;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The proxy copies its options at start: the copy must hold every option, including ones added later. */
class ProxyOptionsTest {
  @Test
  void aCopyHoldsEveryOption() throws Exception {
    ProxyOptions o = new ProxyOptions().setMode(ProxyOptions.Mode.DUMB).setHost("::1").setPort(9).setPseudonym("edge")
        .setDefaultUpstream(Origin.parse("http://127.0.0.1:8080")).setMaxConnectionsPerOrigin(3).setMaxWaitQueue(4)
        .setConnectTimeout(Duration.ofSeconds(1)).setResponseTimeout(Duration.ofSeconds(2))
        .setPoolIdleTimeout(Duration.ofSeconds(3)).setPoolMaxLifetime(Duration.ofSeconds(4))
        .setLingerTimeout(Duration.ofSeconds(5)).setClientIdleTimeout(Duration.ofSeconds(6)).setEventLoops(7)
        .setHeadTimeout(Duration.ofSeconds(8)).setUpstreamPipelining(2).setAllowWebSocket(true).setAllowTrace(true)
        .setConnectionLimits(10, 11).setMaxRequestBodyBytes(12).setConnectPorts(List.of(443, 8443))
        .setTunnelIdleTimeout(Duration.ofSeconds(13)).setHonorHttp10KeepAlive(true);
    ProxyOptions copy = new ProxyOptions(o);
    int compared = 0;
    for (Method m : ProxyOptions.class.getMethods()) {
      if (m.getParameterCount() == 0 && m.getDeclaringClass() == ProxyOptions.class && !Modifier.isStatic(m.getModifiers())) {
        Object original = m.invoke(o);
        if (original != null && !original.equals(m.invoke(o))) {
          continue; // built anew on each call (clientAccess, destinationPolicy), from fields the copy holds
        }
        Object copied = m.invoke(copy);
        if (original == null || original.equals(copied)) {
          assertEquals(original, copied, m.getName());
        } else {
          assertSame(original, copied, m.getName() + " (a built object: shared, not rebuilt)");
        }
        compared++;
      }
    }
    assertTrue(compared >= 28, "compared " + compared);
    // The values above are not the defaults, so a copy that fell back to a default would show.
    assertNotEquals(ProxyOptions.DEFAULTS.maxWaitQueue(), copy.maxWaitQueue());
  }

  // Issue 26: Node's fetch through a proxy (undici's ProxyAgent, NODE_USE_ENV_PROXY) tunnels even
  // http:// URLs with CONNECT host:80; with [443] it failed with only "fetch failed". Long polls
  // held their answer past the old 60 s response timeout and became 504s.
  @Test
  void defaultsLetNodeFetchAndLongPollingThrough() {
    assertTrue(ProxyOptions.DEFAULTS.connectPorts().contains(80));
    assertTrue(ProxyOptions.DEFAULTS.connectPorts().contains(443));
    assertTrue(!ProxyOptions.DEFAULTS.connectPorts().contains(25), "not a relay for mail or anything else");
    assertEquals(Duration.ofMinutes(15), ProxyOptions.DEFAULTS.responseTimeout());
  }
}
