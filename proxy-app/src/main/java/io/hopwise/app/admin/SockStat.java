package io.hopwise.app.admin;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The machine's TIME_WAIT count, from Linux's {@code /proc/net/sockstat} (IPv4; its
 * {@code TCP: inuse 5 orphan 0 tw 12 alloc 7 mem 1} line counts IPv6 TCP sockets too, as the
 * kernel shares the TCP hash tables between the two). -1 where the file is not there.
 */
final class SockStat {
  private SockStat() {}

  static long timeWait() {
    try {
      return timeWait(Files.readString(Path.of("/proc/net/sockstat")));
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  /** The {@code tw} count of the {@code TCP:} line, or -1. Pure. */
  static long timeWait(String sockstat) {
    for (String line : sockstat.split("\n")) {
      if (line.startsWith("TCP:")) {
        String[] words = line.trim().split("\\s+");
        for (int i = 1; i + 1 < words.length; i++) {
          if (words[i].equals("tw")) {
            return Long.parseLong(words[i + 1]);
          }
        }
      }
    }
    return -1;
  }
}
