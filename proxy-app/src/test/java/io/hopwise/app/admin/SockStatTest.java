package io.hopwise.app.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The TIME_WAIT count from /proc/net/sockstat (issue 24). */
class SockStatTest {
  @Test
  void readsTheTcpLinesTwField() {
    String text = """
        sockets: used 180
        TCP: inuse 12 orphan 0 tw 3471 alloc 15 mem 2
        UDP: inuse 3 mem 2
        """;
    assertEquals(3471, SockStat.timeWait(text));
  }

  @Test
  void withoutATcpLineItIsUnknown() {
    assertEquals(-1, SockStat.timeWait("sockets: used 1\nUDP: inuse 0 mem 0\n"));
  }

  @Test
  void thisMachinesFileHasACount() {
    org.junit.jupiter.api.Assertions.assertTrue(SockStat.timeWait() >= 0, "Linux has /proc/net/sockstat");
  }
}
