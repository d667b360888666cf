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
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
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
  final ProxyHarness proxy = ProxyHarness.perTest(ProxyOptions.builder().setEventLoops(1));

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

  /**
   * The proxy holds a response head back only to send it with the body bytes read together with
   * it: a head whose body comes later must still reach the client at once. The origin sends its
   * body only after the client has the head, so a head held for the body would never arrive.
   */
  @ParameterizedTest
  @ValueSource(strings = {"Content-Length: 5", "Transfer-Encoding: chunked"})
  void headWhoseBodyComesLaterReachesTheClientAtOnce(String framing) throws Exception {
    boolean chunked = framing.startsWith("Transfer");
    CountDownLatch clientHasHead = new CountDownLatch(1);
    try (ServerSocket raw = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      Thread originThread = new Thread(() -> {
        try (var s = raw.accept()) {
          InputStream in = s.getInputStream();
          int matched = 0;
          while (matched < 4) { // the request head ends with CRLF CRLF
            int b = in.read();
            if (b < 0) {
              return;
            }
            matched = (b == (matched % 2 == 0 ? '\r' : '\n')) ? matched + 1 : (b == '\r' ? 1 : 0);
          }
          OutputStream out = s.getOutputStream();
          out.write(("HTTP/1.1 200 OK\r\n" + framing + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
          out.flush();
          clientHasHead.await(10, TimeUnit.SECONDS);
          out.write((chunked ? "5\r\nhello\r\n0\r\n\r\n" : "hello").getBytes(StandardCharsets.ISO_8859_1));
          out.flush();
          Thread.sleep(1000);
        } catch (Exception ignored) {
          // test over
        }
      });
      originThread.setDaemon(true);
      originThread.start();
      try (RawClient c = new RawClient(proxy.port())) {
        c.socket().setSoTimeout(3000);
        c.send("GET http://127.0.0.1:" + raw.getLocalPort() + "/late HTTP/1.1\r\nHost: x\r\n\r\n");
        String head = c.readHead();
        assertTrue(head.startsWith("HTTP/1.1 200"), head);
        clientHasHead.countDown();
        byte[] rest = c.input().readNBytes(chunked ? 15 : 5);
        assertEquals(chunked ? "5\r\nhello\r\n0\r\n\r\n" : "hello", new String(rest, StandardCharsets.ISO_8859_1));
      }
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
