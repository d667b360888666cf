package io.hopwise.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class RateLoadTest {
  private static RateLoad.Config parse(String... args) {
    return RateLoad.parse(args);
  }

  private static String error(String... args) {
    return assertThrows(IllegalArgumentException.class, () -> RateLoad.parse(args)).getMessage();
  }

  // ---------------------------------------------------------------- timeline

  @Test
  void timelineCountsEachBucketsRequestsSlowOnesAndTheSlowest() {
    // due (ms into the period) and latency (ns), parallel; 30 ms period in 10 ms buckets
    int[] due = {0, 9, 10, 25, 29, 31};
    long[] lat = {200_000, 1_500_000, 900_000, 7_000_000, 1_000_001, 3_000};
    var t = RateLoad.timeline(due, lat, 6, 10, 30_000_000L);
    assertEquals(3, t.size());
    assertEquals("[0, 2, 1, 1500]", Arrays.toString(t.get(0)));
    assertEquals("[10, 1, 0, 900]", Arrays.toString(t.get(1)));
    // a request due at 31 ms (the last moment's rounding) goes to the last bucket
    assertEquals("[20, 3, 2, 7000]", Arrays.toString(t.get(2)));
    // only the first n count
    assertEquals("[0, 1, 0, 200]", Arrays.toString(RateLoad.timeline(due, lat, 1, 10, 30_000_000L).get(0)));
  }

  @Test
  void timelineNeedsAFileName() {
    assertTrue(error("--connect", "127.0.0.1:1", "--target", "/", "--rate", "5", "--timeline", "").contains("--timeline"));
    assertEquals("t.txt", parse("--connect", "127.0.0.1:1", "--target", "/", "--rate", "5", "--timeline=t.txt").timeline());
  }

  // ---------------------------------------------------------------- percentiles

  @Test
  void percentilesAreNearestRankOverAllValues() {
    long[] v = new long[1000];
    for (int i = 0; i < v.length; i++) {
      v[i] = i + 1;
    }
    assertEquals(500, RateLoad.percentile(v, 1000, 500));
    assertEquals(990, RateLoad.percentile(v, 1000, 990));
    assertEquals(999, RateLoad.percentile(v, 1000, 999));
    assertEquals(1000, RateLoad.percentile(v, 1000, 1000));
    // 10 values: p50 is the 5th, p99 and p99.9 the 10th (the smallest with >= 99 % at or below it)
    assertEquals(5, RateLoad.percentile(v, 10, 500));
    assertEquals(10, RateLoad.percentile(v, 10, 990));
    assertEquals(10, RateLoad.percentile(v, 10, 999));
    // one value: every percentile is it; none: 0
    assertEquals(1, RateLoad.percentile(v, 1, 500));
    assertEquals(1, RateLoad.percentile(v, 1, 999));
    assertEquals(0, RateLoad.percentile(new long[0], 0, 500));
  }

  @Test
  void theResultLineIsInMicroseconds() {
    long[] v = {1_000, 2_000, 3_000, 4_000_500};
    String line = RateLoad.resultLine(1000, 999.04, 4, 1, v, 4);
    assertEquals("RATE_RESULT target_rps=1000.0 achieved_rps=999.0 requests=4 errors=1"
        + " p50_us=2.0 p99_us=4000.5 p999_us=4000.5 max_us=4000.5", line);
    assertEquals("RATE_RESULT target_rps=5.0 achieved_rps=0.0 requests=0 errors=3"
        + " p50_us=0.0 p99_us=0.0 p999_us=0.0 max_us=0.0", RateLoad.resultLine(5, 0, 0, 3, new long[0], 0));
  }

  // ---------------------------------------------------------------- schedule

  @Test
  void theConnectionsTakeTurnsOnOneEvenSchedule() {
    int conns = 50;
    double rate = 1000;   // one request per ms over all connections
    assertEquals(0, RateLoad.dueOffsetNanos(0, 0, conns, rate));
    assertEquals(1_000_000, RateLoad.dueOffsetNanos(0, 1, conns, rate));
    assertEquals(49_000_000, RateLoad.dueOffsetNanos(0, 49, conns, rate));
    assertEquals(50_000_000, RateLoad.dueOffsetNanos(1, 0, conns, rate));   // each connection: every 50 ms
    assertEquals(51_000_000, RateLoad.dueOffsetNanos(1, 1, conns, rate));
    // all of them together, over 10 s at a rate that is no divisor of 1e9: evenly spaced, in order
    rate = 30_000;
    long count = 300_000;
    long[] due = new long[(int) count];
    int i = 0;
    for (int c = 0; c < conns; c++) {
      for (long k = 0; k * conns + c < count; k++) {
        due[i++] = RateLoad.dueOffsetNanos(k, c, conns, rate);
      }
    }
    assertEquals(count, i);
    Arrays.sort(due);
    for (int j = 1; j < due.length; j++) {
      long gap = due[j] - due[j - 1];
      assertTrue(gap >= 33_332 && gap <= 33_335, "gap " + gap + " at " + j);
    }
    assertEquals(10_000_000_000L - 33_333, due[due.length - 1], 2);
  }

  @Test
  void eachConnectionHasRoomForItsShareOfTheMeasuredPeriod() {
    RateLoad.Config cfg = parse("--connect", "127.0.0.1:1", "--target", "/", "--rate", "30001",
        "--duration", "10s", "--connections", "7");
    // measured requests of one connection: at most ceil(rate * duration / connections) + 1
    assertTrue(cfg.samplesPerConnection() >= (int) Math.ceil(30001 * 10.0 / 7) + 1);
  }

  // ---------------------------------------------------------------- arguments

  @Test
  void argumentsAndTheirDefaults() {
    RateLoad.Config cfg = parse("--connect", "127.0.0.1:3128", "--target", "http://127.0.0.1:8080/small",
        "--rate", "2500.5");
    assertEquals("127.0.0.1", cfg.connectHost());
    assertEquals(3128, cfg.connectPort());
    assertEquals("127.0.0.1:8080", cfg.host());   // from the absolute-form target
    assertEquals(2500.5, cfg.rate());
    assertEquals(10_000_000_000L, cfg.durationNanos());
    assertEquals(2_000_000_000L, cfg.warmupNanos());
    assertEquals(50, cfg.connections());
    assertEquals("GET http://127.0.0.1:8080/small HTTP/1.1\r\nHost: 127.0.0.1:8080\r\n\r\n",
        new String(cfg.request(), StandardCharsets.ISO_8859_1));

    cfg = parse("--connect=127.0.0.2:80", "--target=/small", "--host", "127.0.0.1:81", "--rate", "10",
        "--duration", "500ms", "--warmup", "0", "--connections", "3", "--timeout", "1m");
    assertEquals("127.0.0.1:81", cfg.host());
    assertEquals(500_000_000L, cfg.durationNanos());
    assertEquals(0, cfg.warmupNanos());
    assertEquals(3, cfg.connections());
    assertEquals(60_000_000_000L, cfg.timeoutNanos());
    assertEquals("127.0.0.2:80", parse("--connect", "127.0.0.2:80", "--target", "/", "--rate", "1").host());
    assertEquals("::1", parse("--connect", "[::1]:80", "--target", "/", "--rate", "1").connectHost());
  }

  @Test
  void onlyLoopbackIsAccepted() {
    assertTrue(error("--connect", "10.0.0.1:80", "--target", "/", "--rate", "1").contains("loopback"));
    assertTrue(error("--connect", "localhost:80", "--target", "/", "--rate", "1").contains("loopback"));
    assertTrue(error("--connect", "[::2]:80", "--target", "/", "--rate", "1").contains("loopback"));
    assertTrue(error("--connect", "128.0.0.1:80", "--target", "/", "--rate", "1").contains("loopback"));
    assertTrue(error("--connect", "127.0.0.1:80", "--target", "http://example.com/", "--rate", "1")
        .contains("loopback"));
    assertTrue(error("--connect", "127.0.0.1:80", "--target", "http://[::2]:80/", "--rate", "1")
        .contains("loopback"));
    assertEquals("127.0.0.1", parse("--connect", "127.0.0.1:80", "--target", "http://127.0.0.1/x", "--rate", "1")
        .host());
    assertFalse(RateLoad.isLoopbackLiteral("127.0.0.256"));
    assertTrue(RateLoad.isLoopbackLiteral("127.255.0.1"));
    assertTrue(RateLoad.isLoopbackLiteral("0:0:0:0:0:0:0:1"));
    assertFalse(RateLoad.isLoopbackLiteral("::"));
  }

  @Test
  void badArgumentsAreRefusedInOneLine() {
    String[] messages = {
      error(),
      error("--connect", "127.0.0.1:80", "--target", "/"),
      error("--connect", "127.0.0.1", "--target", "/", "--rate", "1"),
      error("--connect", "127.0.0.1:0", "--target", "/", "--rate", "1"),
      error("--connect", "127.0.0.1:80", "--target", "small", "--rate", "1"),
      error("--connect", "127.0.0.1:80", "--target", "/a b", "--rate", "1"),
      error("--connect", "127.0.0.1:80", "--target", "https://127.0.0.1:1/", "--rate", "1"),
      error("--connect", "127.0.0.1:80", "--target", "/", "--rate", "0"),
      error("--connect", "127.0.0.1:80", "--target", "/", "--rate", "NaN"),
      error("--connect", "127.0.0.1:80", "--target", "/", "--rate", "fast"),
      error("--connect", "127.0.0.1:80", "--target", "/", "--rate", "1", "--duration", "10x"),
      error("--connect", "127.0.0.1:80", "--target", "/", "--rate", "1", "--duration", "0s"),
      error("--connect", "127.0.0.1:80", "--target", "/", "--rate", "1", "--connections", "0"),
      error("--connect", "127.0.0.1:80", "--target", "/", "--rate", "1", "--connections"),
      error("--connect", "127.0.0.1:80", "--target", "/", "--rate", "1", "--verbose", "yes"),
      error("--connect", "127.0.0.1:80", "--target", "/", "--rate", "1000000", "--duration", "30s"),
    };
    for (String m : messages) {
      assertFalse(m == null || m.isEmpty() || m.contains("\n"), "message: " + m);
    }
  }

  // ---------------------------------------------------------------- responses

  private static RateLoad.ResponseReader reader(String bytes) {
    return new RateLoad.ResponseReader(new ByteArrayInputStream(bytes.getBytes(StandardCharsets.ISO_8859_1)));
  }

  @Test
  void aTunnelsAnswerThenTheResponseThroughIt() throws IOException {
    RateLoad.ResponseReader r = reader("HTTP/1.1 200 Connection established\r\nVia: 1.1 p\r\n\r\n"
        + "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nhi");
    assertEquals(200, r.readConnectAnswer());
    assertEquals(200, r.read());
    assertTrue(r.close);
    assertEquals(403, reader("HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n").readConnectAnswer());
    assertThrows(RateLoad.BadResponse.class, () -> reader("SSH-2.0-x\r\n\r\n").readConnectAnswer());
    assertThrows(RateLoad.BadResponse.class, () -> reader("HTTP/1.1 2x0 OK\r\n\r\n").readConnectAnswer());
  }

  @Test
  void aTunnelRequestIsConnectThenOneGetThatAsksToClose() {
    String req = new String(parse("--connect", "127.0.0.1:1", "--target", "http://127.0.0.1:9/small", "--rate", "5",
        "--tunnel").request(), StandardCharsets.ISO_8859_1);
    assertEquals("CONNECT 127.0.0.1:9 HTTP/1.1\r\nHost: 127.0.0.1:9\r\n\r\n"
        + "GET /small HTTP/1.1\r\nHost: 127.0.0.1:9\r\nConnection: close\r\n\r\n", req);
    assertTrue(error("--connect", "127.0.0.1:1", "--target", "/small", "--rate", "5", "--tunnel").contains("--tunnel"));
  }

  @Test
  void responsesAreReadWhole() throws IOException {
    RateLoad.ResponseReader r = reader("HTTP/1.1 200 OK\r\nContent-Length: 5\r\nServer: x\r\n\r\nhello"
        + "HTTP/1.1 404 Not Found\r\ncontent-length:0\r\n\r\n"
        + "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
        + "3\r\nabc\r\n10;ext=1\r\n0123456789abcdef\r\n0\r\nX-Trailer: 1\r\n\r\n"
        + "HTTP/1.1 204 No Content\r\n\r\n"
        + "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: Close\r\n\r\nok");
    assertEquals(200, r.read());
    assertFalse(r.close);
    assertEquals(404, r.read());
    assertEquals(200, r.read());
    assertEquals(204, r.read());
    assertFalse(r.close);
    assertEquals(200, r.read());
    assertTrue(r.close);
    assertThrows(EOFException.class, r::read);
  }

  @Test
  void badResponsesAreErrors() {
    assertThrows(RateLoad.BadResponse.class, () -> reader("HTTP/1.0 200 OK\r\n\r\n").read());
    assertThrows(RateLoad.BadResponse.class, () -> reader("HTTP/1.1 200 OK\r\n\r\nbody").read());
    assertThrows(RateLoad.BadResponse.class, () -> reader("HTTP/1.1 200 OK\r\nContent-Length: x\r\n\r\n").read());
    assertThrows(EOFException.class, () -> reader("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nshort").read());
    assertThrows(EOFException.class, () -> reader("").read());
  }
}
