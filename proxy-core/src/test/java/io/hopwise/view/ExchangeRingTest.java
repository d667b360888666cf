package io.hopwise.view;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.hopwise.ClientLeg;
import io.hopwise.ProxyListener.ExchangeRecord;
import io.hopwise.ProxyListener.UpstreamUse;
import io.hopwise.TcpInfo;
import io.hopwise.Timed;
import io.hopwise.UpstreamLeg;
import io.hopwise.policy.RoleVerdict;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The exchange ring keeps columns, and gives back exactly the records it was given (issue 24). */
class ExchangeRingTest {
  private static ExchangeRecord record(int i) {
    TcpInfo tcp = new TcpInfo(100 + i, 10, 10, 20, 0, 1, 0);
    UpstreamLeg up = i % 3 == 0 ? null
        : new UpstreamLeg(i, i % 2 == 0, i * 10L, -1, i, -1, i * 2L, i * 3L, tcp, i % 4 == 0 ? tcp : null, null,
            i % 2 == 0 ? "default" : "routes[" + i + "]", i % 4 == 1 ? "corp" : null);
    return new ExchangeRecord("10.0.0." + i, "GET", "http://h/" + i, 200 + i, i, i * 100L, i * 1000L,
        up == null ? UpstreamUse.NONE : up.reused() ? UpstreamUse.REUSED : UpstreamUse.NEW, i % 5 == 0,
        i % 2 == 0 ? List.of() : List.of("Keep-Alive"), i % 7 == 0 ? "alice" : null,
        new RoleVerdict("r" + i, RoleVerdict.Outcome.ALLOW, "open"), new ClientLeg(i, i % 4 + 1, i % 6 == 0 ? tcp : null), up);
  }

  @Test
  void givesBackTheNewestRecordsAsTheyWereInOrder() {
    ExchangeRing ring = new ExchangeRing(5);
    IntStream.rangeClosed(1, 12).forEach(i -> ring.add(1000 + i, record(i)));
    List<Timed<ExchangeRecord>> kept = ring.snapshot();
    assertEquals(IntStream.rangeClosed(8, 12).mapToObj(i -> new Timed<>(1000L + i, record(i))).toList(), kept);
  }

  @Test
  void beforeItFillsAndAfterAResize() {
    ExchangeRing ring = new ExchangeRing(4);
    ring.add(1, record(1));
    ring.add(2, record(2));
    assertEquals(List.of(new Timed<>(1L, record(1)), new Timed<>(2L, record(2))), ring.snapshot());
    IntStream.rangeClosed(3, 6).forEach(i -> ring.add(i, record(i)));
    ring.resize(2);
    assertEquals(List.of(new Timed<>(5L, record(5)), new Timed<>(6L, record(6))), ring.snapshot());
    ring.resize(0);
    ring.add(7, record(7));
    assertEquals(List.of(), ring.snapshot(), "capacity 0 keeps nothing");
  }

  /**
   * Issue 28: a ring of 1,000 exchanges that each kept their own target string and removed-fields
   * list had every young collection copy those (about 350 KB), doubling the pause. Equal values,
   * made anew per exchange as the proxy does, are kept once.
   */
  @Test
  void keepsOneCopyOfARecurringTargetAndRemovedList() {
    ExchangeRing ring = new ExchangeRing(6);
    for (int i = 0; i < 6; i++) {
      ExchangeRecord r = record(2);
      String target = new String("http://h/same".toCharArray()); // a new string each time, like a parsed target
      List<String> removed = Collections.unmodifiableList(new ArrayList<>(List.of("Connection", "Keep-Alive")));
      ring.add(i, new ExchangeRecord(r.clientAddress(), r.method(), target, r.status(), r.requestBodyBytes(),
          r.responseBodyBytes(), r.durationNanos(), r.upstream(), r.aborted(), removed, r.user(), r.verdict(),
          r.client(), r.upstreamLeg()));
    }
    List<Timed<ExchangeRecord>> kept = ring.snapshot();
    assertEquals(6, kept.size());
    for (Timed<ExchangeRecord> t : kept) {
      assertEquals("http://h/same", t.record().target());
      assertEquals(List.of("Connection", "Keep-Alive"), t.record().removedFields());
      assertSame(kept.get(0).record().target(), t.record().target(), "one copy of the target");
      assertSame(kept.get(0).record().removedFields(), t.record().removedFields(), "one copy of the list");
    }
  }
}
