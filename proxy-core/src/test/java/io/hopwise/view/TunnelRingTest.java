package io.hopwise.view;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.hopwise.ClientLeg;
import io.hopwise.ProxyListener.TunnelRecord;
import io.hopwise.TcpInfo;
import io.hopwise.Timed;
import io.hopwise.UpstreamLeg;
import io.hopwise.policy.RoleVerdict;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The tunnel ring keeps columns (issue 28) and gives back exactly the records it was given. */
class TunnelRingTest {
  private static final TcpInfo FULL = new TcpInfo(120, 11, 10, 2147483647, 0, 3, 1, 27_000_000_000L, 3_600_000_000L,
      560_829, 3_063_420);
  private static final TcpInfo OLDER = new TcpInfo(150, 20, 10, 20, 1, 2, 0);
  private static final RoleVerdict ALLOWED = new RoleVerdict("default", RoleVerdict.Outcome.ALLOW, "-");

  private static UpstreamLeg leg(TcpInfo atConnect) {
    return new UpstreamLeg(7, false, 0, 1_500, 90_000, -1, -1, 2_000_000, atConnect);
  }

  private static TunnelRecord tunnel(String client, String host, String user, RoleVerdict verdict, ClientLeg c,
      UpstreamLeg u) {
    return new TunnelRecord(client, host, 443, 517, 4_096, 3_000_000, false, user, verdict, c, u);
  }

  static Stream<Arguments> records() {
    return Stream.of(
        Arguments.of("a short HTTPS tunnel", tunnel("127.0.0.1", "example.com", null, ALLOWED, new ClientLeg(3, 1),
            leg(FULL))),
        Arguments.of("TCP_INFO without the rates", tunnel("::1", "example.com", "alice", ALLOWED, new ClientLeg(3, 2),
            leg(OLDER))),
        Arguments.of("no TCP_INFO where the transport cannot say", tunnel("10.0.0.1", "h", null, ALLOWED,
            new ClientLeg(4, 1), leg(null))),
        Arguments.of("never connected: no upstream leg", new TunnelRecord("10.0.0.1", "down.example", 8443, 0, 0, 5, true,
            null, RoleVerdict.NONE, new ClientLeg(5, 1), null)),
        Arguments.of("no client leg", tunnel("-", "h", null, null, null, leg(FULL))),
        Arguments.of("watched: the snapshots at the first and last byte, routed through a parent",
            tunnel("127.0.0.1", "h", null, new RoleVerdict("ci", RoleVerdict.Outcome.REPORT_DENY, "rules[2]"),
                new ClientLeg(6, 3, OLDER), new UpstreamLeg(8, false, 0, -1, 10, 20, -1, 30, FULL, OLDER, FULL,
                    "routes[1]", "squid"))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("records")
  void everyRecordComesBackAsItWasGiven(String name, TunnelRecord record) {
    TunnelRing ring = new TunnelRing(2);
    ring.add(5, record);
    assertEquals(List.of(new Timed<>(5L, record)), ring.snapshot());
  }

  @Test
  void keepsOneCopyOfARecurringClientHostAndVerdict() {
    TunnelRing ring = new TunnelRing(4);
    for (int i = 0; i < 3; i++) {
      // new but equal strings and verdicts each time, as each tunnel makes them
      ring.add(i, tunnel(new String("127.0.0.1"), new String("example.com"), null,
          new RoleVerdict(new String("default"), RoleVerdict.Outcome.ALLOW, "-"), new ClientLeg(i, 1), leg(FULL)));
    }
    List<Timed<TunnelRecord>> kept = ring.snapshot();
    assertSame(kept.get(0).record().clientAddress(), kept.get(2).record().clientAddress(), "one copy of the client");
    assertSame(kept.get(0).record().host(), kept.get(2).record().host(), "one copy of the host");
    assertSame(kept.get(0).record().verdict(), kept.get(2).record().verdict(), "one copy of the verdict");
  }
}
