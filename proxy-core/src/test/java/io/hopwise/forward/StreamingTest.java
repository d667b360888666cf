package io.hopwise.forward;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hopwise.ProxyOptions;
import io.hopwise.testing.ProxyHarness;
import io.hopwise.testing.RawClient;
import io.hopwise.testing.RecordingOrigin;
import io.hopwise.testing.RecordingOrigin.Reply;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Bodies flow through with backpressure: the proxy never reads far ahead of a slow client. */
class StreamingTest {
  private static final long FIFTY_MB = 50L * 1024 * 1024;
  /** Socket buffers on both hops plus our write queues; far less than the body. */
  private static final long READ_AHEAD_BOUND = 16L * 1024 * 1024;

  private RecordingOrigin origin;
  private ProxyHarness proxy;

  @BeforeEach
  void start() throws Exception {
    origin = new RecordingOrigin();
    proxy = new ProxyHarness(new ProxyOptions().setEventLoops(1));
  }

  @AfterEach
  void stop() throws Exception {
    proxy.close();
    origin.close();
  }

  @Test
  void fiftyMegabyteDownloadIsStreamedWithBoundedReadAheadAndHeap() throws Exception {
    origin.enqueue(Reply.streamed(FIFTY_MB));
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    System.gc();
    long heapBefore = memory.getHeapMemoryUsage().getUsed();
    try (RawClient c = proxy.client()) {
      c.send("GET " + origin.url("/big") + " HTTP/1.1\r\nHost: x\r\n\r\n");
      String head = c.readHead();
      assertTrue(head.contains("Content-Length: " + FIFTY_MB), head);
      InputStream in = c.input();
      byte[] buf = new byte[65536];
      long read = readUpTo(in, buf, 1024 * 1024);
      // A slow reader: stop reading for a while and see how far the origin got.
      Thread.sleep(1500);
      long aheadWhilePaused = origin.streamedBytesWritten() - read;
      assertTrue(aheadWhilePaused < READ_AHEAD_BOUND,
          "proxy read " + aheadWhilePaused + " bytes ahead of a paused client");
      read += readUpTo(in, buf, FIFTY_MB - read);
      assertEquals(FIFTY_MB, read);
    }
    System.gc();
    long heapGrowth = memory.getHeapMemoryUsage().getUsed() - heapBefore;
    assertTrue(heapGrowth < 32L * 1024 * 1024, "heap grew by " + heapGrowth);
  }

  private static long readUpTo(InputStream in, byte[] buf, long limit) throws Exception {
    long total = 0;
    while (total < limit) {
      int n = in.read(buf, 0, (int) Math.min(buf.length, limit - total));
      if (n < 0) {
        break;
      }
      total += n;
    }
    return total;
  }
}
