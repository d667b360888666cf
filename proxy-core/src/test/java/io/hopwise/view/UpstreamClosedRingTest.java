package io.hopwise.view;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.hopwise.FirstToClose;
import io.hopwise.ProxyListener.CloseReason;
import io.hopwise.TcpInfo;
import io.hopwise.Timed;
import io.hopwise.UpstreamConnectionRecord;
import io.hopwise.http.Origin;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The ring of closed upstream connections keeps columns (issue 28) and gives back exactly what it was given. */
class UpstreamClosedRingTest {
  private static final Origin ORIGIN = new Origin("http", "127.0.0.1", 19000);

  private static UpstreamConnectionRecord closed(Origin origin, String local, String remote, CloseReason reason,
      String detail, FirstToClose first, TcpInfo tcp) {
    return new UpstreamConnectionRecord(9, origin, local, remote, 3, 4_000_000, reason, detail, first, tcp);
  }

  static Stream<Arguments> records() {
    return Stream.of(
        Arguments.of("a pooled connection the origin closed", closed(ORIGIN, "127.0.0.1:53918", "127.0.0.1:19000",
            CloseReason.PEER_CLOSED, "Connection: close", FirstToClose.values()[0],
            new TcpInfo(553, 557, 18, 2147483647, 0, 0, 0, 27_520_268_361L, 3_640_888_888L, 560_829, 3_063_420))),
        Arguments.of("a tunnel's connection over IPv6", closed(new Origin("http", "::1", 443), "0:0:0:0:0:0:0:1:40000",
            "0:0:0:0:0:0:0:1:443", CloseReason.values()[0], "tunnel: the client ended first", FirstToClose.values()[1],
            new TcpInfo(1, 2, 3, 4, 5, 6, 7))),
        Arguments.of("no addresses, no TCP_INFO", closed(ORIGIN, "-", "-", CloseReason.ERROR, "reset", FirstToClose.values()[0],
            null)),
        Arguments.of("no reason, detail or first", closed(ORIGIN, "10.0.0.1:080", null, null, null, null, null)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("records")
  void everyRecordComesBackAsItWasGiven(String name, UpstreamConnectionRecord record) {
    UpstreamClosedRing ring = new UpstreamClosedRing(2);
    ring.add(5, record);
    assertEquals(List.of(new Timed<>(5L, record)), ring.snapshot());
  }

  @Test
  void keepsOneCopyOfARecurringOriginRemoteAndDetail() {
    UpstreamClosedRing ring = new UpstreamClosedRing(4);
    for (int i = 0; i < 3; i++) {
      ring.add(i, closed(new Origin("http", "127.0.0.1", 19000), "127.0.0.1:" + (50000 + i), new String("127.0.0.1:19000"),
          CloseReason.PEER_CLOSED, new String("tunnel: the origin ended first"), FirstToClose.values()[0], null));
    }
    List<Timed<UpstreamConnectionRecord>> kept = ring.snapshot();
    assertSame(kept.get(0).record().origin(), kept.get(2).record().origin(), "one copy of the origin");
    assertSame(kept.get(0).record().remote(), kept.get(2).record().remote(), "one copy of the remote address");
    assertSame(kept.get(0).record().detail(), kept.get(2).record().detail(), "one copy of the detail");
    assertEquals("127.0.0.1:50002", kept.get(2).record().local());
  }
}
