package io.hopwise.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.hopwise.http.HeadLimits;
import io.hopwise.http.ParseOutcome;
import io.hopwise.http.RequestHead;
import io.hopwise.http.RequestHeadParser;
import io.hopwise.http.ResponseHead;
import io.hopwise.http.ResponseHeadParser;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Parsing a head from a prefix of the pending bytes gives what parsing all of them gives. */
class PendingBytesTest {
  private final RequestHeadParser requests = new RequestHeadParser(HeadLimits.DEFAULT);
  private final ResponseHeadParser responses = new ResponseHeadParser(65536, 200);

  private static String describe(ParseOutcome<?> o) {
    if (o instanceof ParseOutcome.Parsed<?> p) {
      return "parsed " + p.consumed() + " " + p.head();
    }
    return o.toString();
  }

  /** A request head of exactly {@code headLength} bytes (padded with a field), then {@code body}. */
  private static byte[] request(int headLength, String body) {
    String start = "POST http://example.com/up HTTP/1.1\r\nHost: example.com\r\nContent-Length: "
        + body.length() + "\r\nX-Pad: ";
    String head = start + "p".repeat(headLength - start.length() - 4) + "\r\n\r\n";
    assertEquals(headLength, head.length());
    return (head + body).getBytes(StandardCharsets.ISO_8859_1);
  }

  @Test
  void requestHeadsAroundThePrefixLengthParseAsFromAllTheBytes() {
    for (int headLength = PendingBytes.HEAD_PREFIX - 40; headLength <= PendingBytes.HEAD_PREFIX + 40; headLength++) {
      for (String body : new String[] {"", "b", "x".repeat(PendingBytes.HEAD_PREFIX), "y".repeat(20_000)}) {
        byte[] all = request(headLength, body);
        ParseOutcome<RequestHead> expected = requests.parse(all, all.length);
        AtomicInteger copied = new AtomicInteger();
        ParseOutcome<RequestHead> got = PendingBytes.parseHead(Buffer.buffer(all), (b, n) -> {
          copied.addAndGet(n);
          return requests.parse(b, n);
        });
        assertInstanceOf(ParseOutcome.Parsed.class, got, "head " + headLength + ", body " + body.length());
        assertEquals(describe(expected), describe(got), "head " + headLength + ", body " + body.length());
        int expectedCopy = all.length <= PendingBytes.HEAD_PREFIX ? all.length
            : headLength <= PendingBytes.HEAD_PREFIX ? PendingBytes.HEAD_PREFIX
            : PendingBytes.HEAD_PREFIX + all.length; // the prefix needed more: all the bytes then
        assertEquals(expectedCopy, copied.get(),
            "bytes copied, head " + headLength + ", body " + body.length());
      }
    }
  }

  @Test
  void aResponseWithALargeBodyCopiesOnlyThePrefix() {
    byte[] all = ("HTTP/1.1 200 OK\r\nContent-Length: 16384\r\nServer: nginx\r\n\r\n" + "k".repeat(16384))
        .getBytes(StandardCharsets.ISO_8859_1);
    AtomicInteger copied = new AtomicInteger();
    ParseOutcome<ResponseHead> got = PendingBytes.parseHead(Buffer.buffer(all), (b, n) -> {
      copied.addAndGet(n);
      return responses.parse(b, n, "GET");
    });
    assertEquals(describe(responses.parse(all, all.length, "GET")), describe(got));
    assertEquals(PendingBytes.HEAD_PREFIX, copied.get());
  }

  @Test
  void refusalsAndIncompleteHeadsBeyondThePrefixAreTheSameAsFromAllTheBytes() {
    String pad = "X-Pad: " + "p".repeat(3000) + "\r\n";
    String[] heads = {
        "GET http://example.com/ HTTP/1.1\r\nHost: example.com\r\n" + pad + "Bad Name: x\r\n\r\n",
        "GET http://example.com/ HTTP/1.1\r\nHost: example.com\r\n" + pad + "X-Ctl: a\u0001b\r\n\r\n",
        "GET http://example.com/ HTTP/1.1\r\nHost: example.com\r\n" + pad + "X-Unfinished: still coming",
        "GET http://example.com/ HTTP/1.1\r\nHost: example.com\r\nBad Name: x\r\n\r\n" + pad,
    };
    for (String h : heads) {
      byte[] all = h.getBytes(StandardCharsets.ISO_8859_1);
      assertEquals(describe(requests.parse(all, all.length)),
          describe(PendingBytes.parseHead(Buffer.buffer(all), requests::parse)), h.substring(h.length() - 30));
    }
  }
}
