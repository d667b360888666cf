package io.hopwise.forward;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hopwise.ProxyOptions;
import io.hopwise.testing.ProxyHarness;
import io.hopwise.testing.RawClient;
import io.hopwise.testing.RecordingOrigin;
import io.hopwise.testing.RecordingOrigin.Reply;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Bodies flow through with backpressure: the proxy never reads far ahead of a slow client. */
class StreamingTest {
  private static final long FIFTY_MB = 50L * 1024 * 1024;
  /**
   * What the kernel may hold between the peers (the proxy's own socket buffers autotune up to
   * 32 MB + 4 MB on this machine; the test's ends are fixed at 128 KiB) plus our write queues.
   * Without backpressure all 50 MB would pass.
   */
  private static final long READ_AHEAD_BOUND = 40L * 1024 * 1024;

  @RegisterExtension
  final RecordingOrigin origin = RecordingOrigin.perTest();
  @RegisterExtension
  final ProxyHarness proxy = ProxyHarness.perTest(new ProxyOptions().setEventLoops(1));

  @Test
  void fiftyMegabyteDownloadIsStreamedWithBoundedReadAheadAndHeap() throws Exception {
    origin.enqueue(Reply.streamed(FIFTY_MB));
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    System.gc();
    long heapBefore = memory.getHeapMemoryUsage().getUsed();
    try (RawClient c = new RawClient(proxy.port(), 128 * 1024)) {
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

  @Test
  void uploadToAnOriginThatDoesNotReadIsHeldBackNotBuffered() throws Exception {
    try (ServerSocket stalled = new ServerSocket()) {
      stalled.setReceiveBufferSize(128 * 1024);
      stalled.bind(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1);
      AtomicLong written = new AtomicLong();
      Thread accepter = new Thread(() -> {
        try {
          stalled.accept(); // accept, then never read
          Thread.sleep(10_000);
        } catch (Exception ignored) {
          // test over
        }
      });
      accepter.setDaemon(true);
      accepter.start();
      RawClient c = new RawClient(proxy.port(), 128 * 1024);
      Thread writer = new Thread(() -> {
        try {
          OutputStream out = c.socket().getOutputStream();
          out.write(("PUT http://127.0.0.1:" + stalled.getLocalPort() + "/up HTTP/1.1\r\nHost: x\r\n"
              + "Content-Length: " + FIFTY_MB + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
          byte[] piece = new byte[65536];
          for (long left = FIFTY_MB; left > 0; left -= piece.length) {
            out.write(piece);
            written.addAndGet(piece.length);
          }
        } catch (Exception ignored) {
          // closed by the test
        }
      });
      writer.setDaemon(true);
      writer.start();
      Thread.sleep(2000);
      long sent = written.get();
      c.close();
      assertTrue(sent > 0, "the upload should have started");
      assertTrue(sent < READ_AHEAD_BOUND,
          "client could push " + sent + " bytes into a proxy whose origin reads nothing");
    }
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
