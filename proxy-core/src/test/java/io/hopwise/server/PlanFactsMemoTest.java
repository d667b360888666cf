package io.hopwise.server;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.hopwise.ProxyOptions;
import io.hopwise.policy.RequestPlanner;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

/** A loop's connections share the planner's facts exactly when every fact is the same. */
class PlanFactsMemoTest {
  private static final ProxyOptions OPTIONS = ProxyOptions.builder().setHost("127.0.0.1").build();
  private static final InetSocketAddress LISTEN = new InetSocketAddress("127.0.0.1", 3128);

  @Test
  void connectionsWithTheSameFactsShareThem() {
    PlanFactsMemo memo = new PlanFactsMemo();
    RequestPlanner.Facts first = memo.facts(OPTIONS, LISTEN, "10.0.0.7");
    assertAll(
        () -> assertSame(first, memo.facts(OPTIONS, new InetSocketAddress("127.0.0.1", 3128), "10.0.0.7")),
        () -> assertEquals("127.0.0.1:3128", first.reachedAt()),
        () -> assertEquals(3128, first.listenPort()),
        () -> assertEquals("10.0.0.7", first.clientAddress()));
  }

  @Test
  void anyFactThatDiffersMakesFactsOfItsOwn() {
    PlanFactsMemo memo = new PlanFactsMemo();
    RequestPlanner.Facts first = memo.facts(OPTIONS, LISTEN, "10.0.0.7");
    RequestPlanner.Facts otherClient = memo.facts(OPTIONS, LISTEN, "10.0.0.8");
    RequestPlanner.Facts otherPort = memo.facts(OPTIONS, new InetSocketAddress("127.0.0.1", 3129), "10.0.0.8");
    RequestPlanner.Facts otherHost = memo.facts(OPTIONS, new InetSocketAddress("127.0.0.2", 3129), "10.0.0.8");
    ProxyOptions reloaded = ProxyOptions.builder().setHost("127.0.0.1").build();
    RequestPlanner.Facts afterReload = memo.facts(reloaded, new InetSocketAddress("127.0.0.2", 3129), "10.0.0.8");
    assertAll(
        () -> assertEquals("10.0.0.8", otherClient.clientAddress()),
        () -> assertNotSame(first, otherClient),
        () -> assertEquals("127.0.0.1:3129", otherPort.reachedAt()),
        () -> assertEquals("127.0.0.2:3129", otherHost.reachedAt()),
        () -> assertNotSame(otherHost, afterReload, "a reload's options are other facts, even if equal"),
        () -> assertEquals("[0:0:0:0:0:0:0:1]:3128", memo.facts(OPTIONS, new InetSocketAddress("::1", 3128), null).reachedAt(),
            "an IPv6 address in brackets, as in a proxy URL"));
  }
}
