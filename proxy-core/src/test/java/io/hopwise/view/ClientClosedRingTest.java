package io.hopwise.view;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.hopwise.FirstToClose;
import io.hopwise.ProxyListener.ClientCloseReason;
import io.hopwise.ProxyListener.ClientConnectionRecord;
import io.hopwise.TcpInfo;
import io.hopwise.Timed;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The closed-connection ring keeps columns (issue 28) and gives back exactly the records it was given. */
class ClientClosedRingTest {
  private static final ClientCloseReason[] REASONS = ClientCloseReason.values();
  private static final FirstToClose[] FIRSTS = FirstToClose.values();

  private static ClientConnectionRecord record(int i, String remote, String local) {
    TcpInfo tcp = i % 3 == 0 ? null
        : i % 3 == 1 ? new TcpInfo(100 + i, 10, 10, 20, 1, 2, 0)
        : new TcpInfo(100 + i, 11, 12, 13, 0, 14, 15, 16_000_000_000L + i, 17, 18, 19);
    return new ClientConnectionRecord(i, remote, local, i % 5, REASONS[i % REASONS.length], FIRSTS[i % FIRSTS.length],
        i * 1_000_000L, tcp);
  }

  static Stream<Arguments> addresses() {
    return Stream.of(
        Arguments.of("IPv4", "127.0.0.1:54321", 54321),
        Arguments.of("IPv6, written without brackets", "0:0:0:0:0:0:0:1:3128", 3128),
        Arguments.of("port 0", "10.0.0.1:0", 0),
        Arguments.of("highest port", "10.0.0.1:65535", 65535),
        Arguments.of("unknown", "-", -1),
        Arguments.of("no port after the colon", "10.0.0.1:", -1),
        Arguments.of("nothing before the colon", ":80", -1),
        Arguments.of("a leading zero would not come back the same", "10.0.0.1:080", -1),
        Arguments.of("over 65535", "10.0.0.1:65536", -1),
        Arguments.of("too many digits", "10.0.0.1:0000080", -1),
        Arguments.of("not digits", "h:8o", -1));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("addresses")
  void everyAddressComesBackAsItWasGiven(String name, String address, int port) {
    assertEquals(port, AddressColumns.port(address));
    ClientClosedRing ring = new ClientClosedRing(2);
    ring.add(5, record(1, address, address));
    assertEquals(List.of(new Timed<>(5L, record(1, address, address))), ring.snapshot());
  }

  @Test
  void givesBackTheNewestRecordsAsTheyWereInOrder() {
    ClientClosedRing ring = new ClientClosedRing(5);
    IntStream.rangeClosed(1, 12).forEach(i -> ring.add(1000 + i, record(i, "10.0.0." + i + ":" + (40000 + i), "127.0.0.1:3128")));
    assertEquals(IntStream.rangeClosed(8, 12)
        .mapToObj(i -> new Timed<>(1000L + i, record(i, "10.0.0." + i + ":" + (40000 + i), "127.0.0.1:3128"))).toList(),
        ring.snapshot());
  }

  @Test
  void beforeItFillsAndAfterAResize() {
    ClientClosedRing ring = new ClientClosedRing(4);
    ring.add(1, record(1, "a:1", "b:2"));
    ring.add(2, record(2, "a:3", "b:2"));
    assertEquals(List.of(new Timed<>(1L, record(1, "a:1", "b:2")), new Timed<>(2L, record(2, "a:3", "b:2"))), ring.snapshot());
    IntStream.rangeClosed(3, 6).forEach(i -> ring.add(i, record(i, "a:" + i, "b:2")));
    ring.resize(2);
    assertEquals(List.of(new Timed<>(5L, record(5, "a:5", "b:2")), new Timed<>(6L, record(6, "a:6", "b:2"))), ring.snapshot());
    ring.resize(0);
    ring.add(7, record(7, "a:7", "b:2"));
    assertEquals(List.of(), ring.snapshot(), "capacity 0 keeps nothing");
  }
}
