package io.hopwise.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

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
        AtomicInteger scanned = new AtomicInteger();
        ParseOutcome<RequestHead> got = PendingBytes.parseHead(Buffer.buffer(all), (b, n) -> {
          scanned.addAndGet(n);
          return requests.parse(b, n);
        });
        assertInstanceOf(ParseOutcome.Parsed.class, got, "head " + headLength + ", body " + body.length());
        assertEquals(describe(expected), describe(got), "head " + headLength + ", body " + body.length());
        int expectedScan = all.length <= PendingBytes.HEAD_PREFIX ? all.length
            : headLength <= PendingBytes.HEAD_PREFIX ? PendingBytes.HEAD_PREFIX
            : PendingBytes.HEAD_PREFIX + all.length; // the prefix needed more: all the bytes then
        assertEquals(expectedScan, scanned.get(),
            "bytes given to the parser, head " + headLength + ", body " + body.length());
      }
    }
  }

  @Test
  void aResponseWithALargeBodyIsParsedFromThePrefixOnly() {
    byte[] all = ("HTTP/1.1 200 OK\r\nContent-Length: 16384\r\nServer: nginx\r\n\r\n" + "k".repeat(16384))
        .getBytes(StandardCharsets.ISO_8859_1);
    AtomicInteger scanned = new AtomicInteger();
    ParseOutcome<ResponseHead> got = PendingBytes.parseHead(Buffer.buffer(all), (b, n) -> {
      scanned.addAndGet(n);
      return responses.parse(b, n, "GET");
    });
    assertEquals(describe(responses.parse(all, all.length, "GET")), describe(got));
    assertEquals(PendingBytes.HEAD_PREFIX, scanned.get());
  }

  /** As Vert.x hands over a read: a buffer of its own, exactly as long as the bytes. */
  private static Buffer read(byte[] bytes) {
    return Buffer.buffer(bytes.length).appendBytes(bytes);
  }

  @Test
  void aBufferOfItsOwnIsParsedInPlaceAndASliceFromACopy() {
    byte[] all = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nServer: nginx\r\n\r\nok".getBytes(StandardCharsets.ISO_8859_1);
    String expected = describe(responses.parse(all, all.length, "GET"));
    Buffer own = read(all);
    byte[] ownArray = PendingBytes.wholeArray(own);
    java.util.List<byte[]> given = new java.util.ArrayList<>();
    assertEquals(expected, describe(PendingBytes.parseHead(own, (b, n) -> {
      given.add(b);
      return responses.parse(b, n, "GET");
    })));
    org.junit.jupiter.api.Assertions.assertSame(ownArray, given.get(0), "parsed in place, no copy");

    byte[] framed = ("junk" + new String(all, StandardCharsets.ISO_8859_1)).getBytes(StandardCharsets.ISO_8859_1);
    Buffer slice = read(framed).slice(4, framed.length);
    org.junit.jupiter.api.Assertions.assertNull(PendingBytes.wholeArray(slice), "a slice starts inside an array");
    assertEquals(expected, describe(PendingBytes.parseHead(slice, (b, n) -> responses.parse(b, n, "GET"))));
  }

  @Test
  void aHeadParsedInPlaceKeepsItsValuesWhenMoreBytesAreAppended() {
    // Our own pending buffers grow with room to spare: later appends land in the same array,
    // past the head. The head's values, read lazily from that array, must not change.
    byte[] head = ("GET http://example.com/a HTTP/1.1\r\nHost: example.com\r\nAccept: text/html\r\n\r\n")
        .getBytes(StandardCharsets.ISO_8859_1);
    Buffer pending = Buffer.buffer(0).appendBytes(head);
    org.junit.jupiter.api.Assertions.assertNotNull(PendingBytes.wholeArray(pending));
    var got = (ParseOutcome.Parsed<RequestHead>) PendingBytes.parseHead(pending, requests::parse);
    for (int i = 0; i < 64; i++) { // nothing read from the head before this
      pending.appendString("GET http://example.com/b HTTP/1.1\r\nHost: x\r\nAccept: */*\r\n\r\n");
    }
    assertEquals("text/html", got.head().fields().get("Accept"));
    assertEquals(describe(requests.parse(head, head.length)), describe(got));
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

  /** The shared "nothing pending" buffer is never written into: one connection's bytes never reach another's. */
  @Test
  void nothingPendingIsSharedYetNeverTakesBytes() {
    assertThrows(IndexOutOfBoundsException.class, () -> PendingBytes.NONE.appendBuffer(Buffer.buffer("x")));
    assertEquals(0, PendingBytes.NONE.length());

    Buffer read = Buffer.buffer("GET ");
    assertSame(read, PendingBytes.append(PendingBytes.NONE, read), "a read of its own becomes the pending bytes");
    assertSame(PendingBytes.NONE, PendingBytes.appendCopy(PendingBytes.NONE, Buffer.buffer()), "nothing added");

    Buffer parent = Buffer.buffer("HEAD|pipelined");
    Buffer rest = parent.slice(5, parent.length());
    Buffer pending = PendingBytes.appendCopy(PendingBytes.NONE, rest);
    pending = PendingBytes.append(pending, Buffer.buffer(" and more"));
    assertEquals("pipelined and more", pending.toString(), "a slice is copied, then grows");
    assertEquals("HEAD|pipelined", parent.toString(), "its parent is untouched");
    assertEquals(0, PendingBytes.NONE.length());
  }
}
