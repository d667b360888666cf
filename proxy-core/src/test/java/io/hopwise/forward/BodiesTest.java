package io.hopwise.forward;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hopwise.ProxyOptions;
import io.hopwise.testing.ProxyHarness;
import io.hopwise.testing.RawClient;
import io.hopwise.testing.RecordingOrigin;
import io.hopwise.testing.RecordingOrigin.Recorded;
import io.hopwise.testing.RecordingOrigin.Reply;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Request and response bodies: lengths, chunking, trailers, re-framing. */
class BodiesTest {
  @RegisterExtension
  final RecordingOrigin origin = RecordingOrigin.perTest();
  @RegisterExtension
  final ProxyHarness proxy = ProxyHarness.perTest(ProxyOptions.builder().setEventLoops(1));

  @Test
  void chunkedUploadWithTrailersIsReChunkedAndHopByHopTrailersDropped() throws Exception {
    try (RawClient c = proxy.client()) {
      c.send("POST " + origin.url("/up") + " HTTP/1.1\r\nHost: x\r\n"
          + "Transfer-Encoding: chunked\r\nTrailer: X-Checksum\r\nTE: trailers\r\n\r\n"
          + "5;ext=1\r\nhello\r\n"
          + "6\r\n world\r\n"
          + "0\r\nX-Checksum: abc\r\nKeep-Alive: timeout=1\r\nContent-Length: 99\r\n\r\n");
      assertEquals(200, c.readResponse().status());
    }
    Recorded got = origin.takeRequest();
    assertEquals("POST /up HTTP/1.1", got.requestLine());
    assertTrue(got.fieldLines().contains("Transfer-Encoding: chunked"), got.head());
    assertTrue(!got.head().contains("Trailer:"), got.head());
    // Our chunks: one per read, data intact, trailers filtered (RFC 9110 6.5.1, 7.6.1).
    String body = got.bodyText();
    assertTrue(body.endsWith("0\r\nX-Checksum: abc\r\n\r\n"), body);
    assertEquals("hello world", dechunk(body));
  }

  @Test
  void contentLengthUploadForwardedExactly() throws Exception {
    try (RawClient c = proxy.client()) {
      c.send("PUT " + origin.url("/put") + " HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\n0123456789");
      assertEquals(200, c.readResponse().status());
    }
    Recorded got = origin.takeRequest();
    assertTrue(got.fieldLines().contains("Content-Length: 10"), got.head());
    assertEquals("0123456789", got.bodyText());
  }

  @Test
  void identicalDuplicateContentLengthCollapsesToOneLine() throws Exception {
    try (RawClient c = proxy.client()) {
      c.send("PUT " + origin.url("/put") + " HTTP/1.1\r\nHost: x\r\nContent-Length: 3, 3\r\n\r\nabc");
      assertEquals(200, c.readResponse().status());
    }
    Recorded got = origin.takeRequest();
    assertEquals(1, got.fieldLines().stream().filter(l -> l.startsWith("Content-Length")).count());
    assertTrue(got.fieldLines().contains("Content-Length: 3"), got.head());
  }

  @Test
  void chunkedResponseTrailersReachTheClient() throws Exception {
    origin.enqueue(Reply.raw("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nTrailer: X-Sum\r\n\r\n"
        + "3\r\nabc\r\n0\r\nX-Sum: 42\r\nConnection: close\r\n\r\n"));
    try (RawClient c = proxy.client()) {
      c.send("GET " + origin.url("/") + " HTTP/1.1\r\nHost: x\r\nTE: trailers\r\n\r\n");
      RawClient.Response r = c.readResponse();
      assertEquals("abc", r.bodyText());
      assertEquals("X-Sum: 42\r\n", r.trailers());
      assertEquals(null, r.field("Trailer"));
    }
  }

  @Test
  void closeDelimitedResponseIsChunkedForHttp11AndUpstreamNotReused() throws Exception {
    origin.enqueue(Reply.raw("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nuntil close").thenClose());
    try (RawClient c = proxy.client()) {
      c.send("GET " + origin.url("/1") + " HTTP/1.1\r\nHost: x\r\n\r\n");
      RawClient.Response r = c.readResponse();
      assertEquals("chunked", r.field("Transfer-Encoding"));
      assertEquals("until close", r.bodyText());
      c.send("GET " + origin.url("/2") + " HTTP/1.1\r\nHost: x\r\n\r\n");
      assertEquals("ok", c.readResponse().bodyText());
    }
    assertEquals(2, origin.connectionCount());
  }

  @Test
  void http10ClientGetsCloseDelimitedBodyAndConnectionClose() throws Exception {
    origin.enqueue(Reply.raw("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nhi\r\n0\r\n\r\n"));
    try (RawClient c = proxy.client()) {
      c.send("GET " + origin.url("/") + " HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
      RawClient.Response r = c.readResponse();
      assertEquals("close", r.field("Connection"));
      assertEquals(null, r.field("Transfer-Encoding"));
      assertEquals("hi", r.bodyText());
    }
    Recorded got = origin.takeRequest();
    assertEquals("GET / HTTP/1.1", got.requestLine());
    assertTrue(got.fieldLines().contains("Via: 1.0 hopwise"), got.head());
    assertTrue(got.fieldLines().get(0).startsWith("Host: 127.0.0.1:"), got.head());
  }

  @Test
  void headResponseKeepsContentLengthWithoutBody() throws Exception {
    origin.enqueue(Reply.raw("HTTP/1.1 200 OK\r\nContent-Length: 1234\r\n\r\n"));
    try (RawClient c = proxy.client()) {
      c.send("HEAD " + origin.url("/") + " HTTP/1.1\r\nHost: x\r\n\r\n");
      RawClient.Response r = c.readResponse(true);
      assertEquals("1234", r.field("Content-Length"));
      c.send("GET " + origin.url("/") + " HTTP/1.1\r\nHost: x\r\n\r\n");
      assertEquals("ok", c.readResponse().bodyText());
    }
    assertEquals(1, origin.connectionCount());
  }

  @Test
  void expectContinueIsRelayed() throws Exception {
    origin.enqueue(Reply.raw("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 201 Created\r\nContent-Length: 0\r\n\r\n"));
    try (RawClient c = proxy.client()) {
      c.send("POST " + origin.url("/") + " HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\nok");
      assertEquals(100, c.readResponse().status());
      assertEquals(201, c.readResponse().status());
    }
  }

  static String dechunk(String chunked) {
    StringBuilder out = new StringBuilder();
    int p = 0;
    while (true) {
      int eol = chunked.indexOf("\r\n", p);
      String size = chunked.substring(p, eol).split(";")[0].trim();
      int n = Integer.parseInt(size, 16);
      if (n == 0) {
        return out.toString();
      }
      out.append(chunked, eol + 2, eol + 2 + n);
      p = eol + 2 + n + 2;
    }
  }
}
