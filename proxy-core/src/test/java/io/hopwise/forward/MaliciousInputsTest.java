package io.hopwise.forward;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hopwise.ProxyOptions;
import io.hopwise.testing.ProxyHarness;
import io.hopwise.testing.RawClient;
import io.hopwise.testing.RecordingOrigin;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Malicious and malformed inputs as raw bytes (issue 5): each gets its status, and the origins
 * receive nothing, or exactly the one legitimate request. Tests never leave loopback: the denied
 * destination is 127.0.0.2, where an origin listens, so a leaking policy would show up here.
 */
class MaliciousInputsTest {
  private static RecordingOrigin origin;
  private static RecordingOrigin forbidden;
  private static ProxyHarness proxy;

  @BeforeAll
  static void start() throws Exception {
    origin = new RecordingOrigin();
    forbidden = new RecordingOrigin(InetAddress.getByName("127.0.0.2"));
    proxy = new ProxyHarness(ProxyOptions.builder().setEventLoops(1).setHeadTimeout(Duration.ofMillis(500))
        .setDestinations(List.of("127.0.0.2/32"), List.of(), List.of("*.blocked.test"), List.of(), List.of()));
  }

  @AfterAll
  static void stop() throws Exception {
    proxy.close();
    origin.close();
    forbidden.close();
  }

  /** name, expected status, raw request (%1$d = origin port, %2$d = forbidden port, %3$d = proxy port), forwarded */
  static Stream<Arguments> cases() {
    String o = "http://127.0.0.1:%1$d/";
    String get = "GET " + o + " HTTP/1.1\r\nHost: x\r\n";
    String post = "POST " + o + " HTTP/1.1\r\nHost: x\r\n";
    return Stream.of(
        // Request smuggling: ambiguous framing (RFC 9112 6.1, 6.3; http-rules B1-B6)
        row("CL.TE", 400, post + "Content-Length: 6\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\nX"),
        row("TE.CL", 400, post + "Transfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n8\r\nSMUGGLED\r\n0\r\n\r\n"),
        row("TE with space before colon", 400, post + "Transfer-Encoding : chunked\r\n\r\n0\r\n\r\n"),
        row("TE with vertical tab", 400, post + "Transfer-Encoding: \u000bchunked\r\n\r\n0\r\n\r\n"),
        row("TE duplicated lines", 400, post + "Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"),
        row("TE chunked, identity", 400, post + "Transfer-Encoding: chunked, identity\r\n\r\n0\r\n\r\n"),
        row("TE xchunked", 400, post + "Transfer-Encoding: xchunked\r\n\r\n0\r\n\r\n"),
        row("TE chunked then tab-prefixed CL", 400, post + "Transfer-Encoding: chunked\r\nContent-Length:\t3\r\n\r\n0\r\n\r\n"),
        row("TE gzip, chunked", 501, post + "Transfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n"),
        row("TE on HTTP/1.0", 400, "POST " + o + " HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"),
        row("CL duplicated, differing", 400, post + "Content-Length: 3\r\nContent-Length: 4\r\n\r\nabcd"),
        row("CL list, differing", 400, post + "Content-Length: 3, 4\r\n\r\nabcd"),
        row("CL signed", 400, post + "Content-Length: +3\r\n\r\nabc"),
        row("CL negative", 400, post + "Content-Length: -1\r\n\r\n"),
        row("CL hex", 400, post + "Content-Length: 0x3\r\n\r\nabc"),
        row("CL empty", 400, post + "Content-Length: \r\n\r\n"),
        row("CL overflow", 400, post + "Content-Length: 99999999999999999999\r\n\r\n"),
        row("obs-fold", 400, get + "X-A: 1\r\n 2\r\n\r\n"),
        row("bare LF line ending", 400, "GET " + o + " HTTP/1.1\nHost: x\n\n"),
        row("bare CR in a value", 400, get + "X-A: 1\r2\r\n\r\n"),
        row("NUL in a value", 400, get + "X-A: a\u0000b\r\n\r\n"),
        row("field name with a slash", 400, get + "X/A: 1\r\n\r\n"),
        row("no Host on HTTP/1.1", 400, "GET " + o + " HTTP/1.1\r\n\r\n"),
        row("two Host lines", 400, "GET " + o + " HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n"),
        // Chunk-size oddities: the head is fine, so the origin sees an incomplete request only.
        row("chunk size not hex", 400, post + "Transfer-Encoding: chunked\r\n\r\nzz\r\nhello\r\n0\r\n\r\n"),
        row("chunk size overflow", 400, post + "Transfer-Encoding: chunked\r\n\r\nffffffffffffffffff\r\nx\r\n0\r\n\r\n"),
        row("chunk data without CRLF", 400, post + "Transfer-Encoding: chunked\r\n\r\n3\r\nabcX0\r\n\r\n"),
        row("chunk extension with bare CR", 400, post + "Transfer-Encoding: chunked\r\n\r\n3;a\rb\r\nabc\r\n0\r\n\r\n"),
        row("chunk size with bare LF", 400, post + "Transfer-Encoding: chunked\r\n\r\n3\nabc\r\n0\r\n\r\n"),
        // Hop-by-hop abuse (http-rules A5)
        row("Connection: X-Forwarded-For", 400, get + "Connection: X-Forwarded-For\r\nX-Forwarded-For: 10.0.0.1\r\n\r\n"),
        row("Connection: Host", 400, get + "Connection: Host\r\n\r\n"),
        row("Connection: Content-Length", 400, post + "Connection: Content-Length\r\nContent-Length: 3\r\n\r\nabc"),
        row("Connection: Forwarded", 400, get + "Connection: close, Forwarded\r\n\r\n"),
        row("Proxy-Connection: Via", 400, get + "Proxy-Connection: Via\r\n\r\n"),
        row("Connection with 50 tokens", 400, get + "Connection: " + "a,".repeat(49) + "a\r\n\r\n"),
        // Upgrades we never proxy: h2c is stripped and the request goes on as plain HTTP/1.1.
        forwarded("h2c upgrade with HTTP2-Settings", 200, get + "Connection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\nHTTP2-Settings: AAMAAABkAARAAAAAAAIAAAAA\r\n\r\n"),
        // Destinations (SSRF): 127.0.0.2 is denied, in every spelling
        row("denied address", 403, "GET http://127.0.0.2:%2$d/ HTTP/1.1\r\nHost: x\r\n\r\n"),
        row("denied address as decimal", 403, "GET http://2130706434:%2$d/ HTTP/1.1\r\nHost: x\r\n\r\n"),
        row("denied address in octal", 403, "GET http://0177.0.0.2:%2$d/ HTTP/1.1\r\nHost: x\r\n\r\n"),
        row("denied address in hex", 403, "GET http://0x7f000002:%2$d/ HTTP/1.1\r\nHost: x\r\n\r\n"),
        row("denied address, short form", 403, "GET http://127.2:%2$d/ HTTP/1.1\r\nHost: x\r\n\r\n"),
        row("denied address as IPv4-mapped IPv6", 403, "GET http://[::ffff:127.0.0.2]:%2$d/ HTTP/1.1\r\nHost: x\r\n\r\n"),
        row("denied address as mapped hex IPv6", 403, "GET http://[::ffff:7f00:2]:%2$d/ HTTP/1.1\r\nHost: x\r\n\r\n"),
        row("denied host pattern", 403, "GET http://api.blocked.test:%1$d/ HTTP/1.1\r\nHost: x\r\n\r\n"),
        row("CONNECT to the denied address", 403, "CONNECT 127.0.0.2:443 HTTP/1.1\r\nHost: x\r\n\r\n"),
        row("CONNECT to a disallowed port", 403, "CONNECT 127.0.0.1:%1$d HTTP/1.1\r\nHost: x\r\n\r\nGET " + o + " HTTP/1.1\r\nHost: x\r\n\r\n"),
        row("CONNECT with a decimal host to port 25", 403, "CONNECT 2130706433:25 HTTP/1.1\r\nHost: x\r\n\r\n"),
        // Loops (http-rules D2)
        row("Via names us", 508, get + "Via: 1.1 a, 1.1 hopwise\r\n\r\n"),
        row("target is the proxy itself", 508, "GET http://127.0.0.1:%3$d/ HTTP/1.1\r\nHost: x\r\n\r\n"),
        row("target is the proxy, spelled in hex", 508, "GET http://0x7f000001:%3$d/ HTTP/1.1\r\nHost: x\r\n\r\n"),
        // Limits
        row("request line too long", 414, "GET " + o + "?" + "a".repeat(9000) + " HTTP/1.1\r\nHost: x\r\n\r\n"),
        row("header section too large", 431, get + "X-Big: " + "b".repeat(17_000) + "\r\n\r\n"),
        row("too many fields", 431, get + "X-A: 1\r\n".repeat(101) + "\r\n"),
        row("slowloris head", 408, "GET " + o + " HTTP/1.1\r\nHost: x\r\nX-Slow: "));
  }

  private static Arguments row(String name, int status, String raw) {
    return Arguments.of(name, status, raw, false);
  }

  private static Arguments forwarded(String name, int status, String raw) {
    return Arguments.of(name, status, raw, true);
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @MethodSource("cases")
  void refusedAndNothingLeaks(String name, int status, String raw, boolean forwardedOnce) throws Exception {
    int seenBefore = origin.requestCount();
    try (RawClient c = proxy.client()) {
      c.send(String.format(raw, origin.port(), forbidden.port(), proxy.port()));
      RawClient.Response r = c.readResponse();
      assertEquals(status, r.status(), r.head() + r.bodyText());
      if (!forwardedOnce) {
        assertTrue(r.bodyText().startsWith("hopwise: "), r.bodyText());
        assertTrue(c.closedByPeer(3000), "a refusal closes the connection");
      }
    }
    RecordingOrigin.Recorded got = origin.pollRequest(forwardedOnce ? 3000 : 150);
    if (forwardedOnce) {
      assertTrue(got != null, "the legitimate request reaches the origin");
      assertTrue(!got.head().contains("h2c") && !got.head().contains("HTTP2-Settings"), got.head());
      assertEquals(null, origin.pollRequest(150), "exactly one request");
    } else {
      assertEquals(null, got, "the origin must receive nothing");
      assertEquals(seenBefore, origin.requestCount());
    }
    assertEquals(0, forbidden.connectionCount(), "the denied destination was never contacted");
  }

  // Issue 29: an unterminated quoted-string in a chunk extension. A quote-aware parser reads one
  // request with a long extension; we used to read a POST and then the smuggled GET.
  @org.junit.jupiter.api.Test
  void unterminatedQuotedChunkExtensionSmugglesNothing() throws Exception {
    String o = "http://127.0.0.1:" + origin.port();
    try (RawClient c = proxy.client()) {
      c.send("POST " + o + "/upload HTTP/1.1\r\nHost: o\r\nTransfer-Encoding: chunked\r\n\r\n2;a=\"x\r\nXX\r\n0\r\n\r\n"
          + "GET " + o + "/ka?smuggled=1 HTTP/1.1\r\nHost: o\r\n\r\n\"\r\nXX\r\n0\r\n\r\n");
      RawClient.Response r = c.readResponse();
      assertEquals(400, r.status(), r.head() + r.bodyText());
      assertTrue(c.closedByPeer(3000), "a refusal closes the connection");
    }
    for (RecordingOrigin.Recorded got; (got = origin.pollRequest(300)) != null; ) {
      assertTrue(!got.requestLine().contains("smuggled"), "smuggled: " + got.requestLine());
    }
  }
}
