package io.hopwise.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;

/**
 * Coverage-guided fuzzing with Jazzer (issue 29). In a normal build these run in regression mode:
 * each input kept under {@code src/test/resources/io/hopwise/http/ParserFuzzTestInputs/<method>/}
 * is replayed, so CI replays the corpus. {@code bench/jazzer.sh METHOD DURATION} fuzzes one of
 * them for real and saves any finding there. The properties: nothing throws but our rejection; an
 * accepted head, written out again canonically, parses to the same head; the chunked decoder
 * gives back no more than it was given, holds no more than its limits, and ends or refuses the
 * same way however the input is split.
 */
class ParserFuzzTest {
  @FuzzTest(maxDuration = "60s")
  void requestHead(byte[] input) {
    ParseOutcome<RequestHead> outcome = new RequestHeadParser(HeadLimits.DEFAULT).parse(input, input.length);
    if (outcome instanceof ParseOutcome.Refused<RequestHead> refused) {
      assertTrue(refused.rejection().status() >= 400, refused.toString());
    }
    if (outcome instanceof ParseOutcome.Parsed<RequestHead> parsed) {
      RequestHead h = parsed.head();
      byte[] again = canonical(h.method() + " " + h.target() + " " + h.version().text(), h.fields());
      var reparsed = (ParseOutcome.Parsed<RequestHead>) new RequestHeadParser(HeadLimits.DEFAULT)
          .parse(again, again.length);
      assertEquals(h.method(), reparsed.head().method());
      assertEquals(h.target(), reparsed.head().target());
      assertEquals(h.fields(), reparsed.head().fields());
      assertEquals(h.framing(), reparsed.head().framing());
    }
  }

  @FuzzTest(maxDuration = "60s")
  void responseHead(byte[] input) {
    ParseOutcome<ResponseHead> outcome = new ResponseHeadParser(65536, 200).parse(input, input.length, "GET");
    if (outcome instanceof ParseOutcome.Parsed<ResponseHead> parsed) {
      ResponseHead h = parsed.head();
      byte[] again = canonical(h.version().text() + " " + String.format("%03d", h.status()) + " " + h.reason(), h.fields());
      var reparsed = (ParseOutcome.Parsed<ResponseHead>) new ResponseHeadParser(65536, 200)
          .parse(again, again.length, "GET");
      assertEquals(h.status(), reparsed.head().status());
      assertEquals(h.fields(), reparsed.head().fields());
      assertEquals(h.framing(), reparsed.head().framing());
    }
  }

  @FuzzTest(maxDuration = "60s")
  void chunkedBody(byte[] input) {
    String whole = decode(input, input.length);
    // Split at a point the input itself chooses: the outcome must not depend on how bytes arrive.
    int cut = input.length == 0 ? 0 : (input[0] & 0xFF) % input.length;
    assertEquals(whole, decode(input, cut));
  }

  /** Decoded data, then how it ended: "end", "refused" or "open" (needs more). */
  private static String decode(byte[] input, int cut) {
    ChunkedDecoder d = new ChunkedDecoder(400, 16384, 100);
    StringBuilder out = new StringBuilder();
    String[] end = {"open"};
    long[] rest = {0};
    ChunkedDecoder.Sink sink = new ChunkedDecoder.Sink() {
      @Override
      public void data(Buffer chunk) {
        out.append(chunk.toString(StandardCharsets.ISO_8859_1));
      }

      @Override
      public void end(HttpFields trailers, Buffer r) {
        end[0] = "end " + trailers;
        rest[0] = r.length();
      }
    };
    Buffer all = Buffer.buffer(input);
    for (Buffer part : new Buffer[] {all.slice(0, cut), all.slice(cut, input.length)}) {
      if (part.length() == 0) {
        continue;
      }
      if (!end[0].equals("open")) {
        rest[0] += part.length(); // past the end: the next message's bytes, never fed
        continue;
      }
      Rejection r = d.feed(part, sink);
      if (r != null) {
        assertEquals(400, r.status());
        end[0] = "refused";
      }
    }
    if (end[0].startsWith("end")) {
      end[0] += " rest " + rest[0];
    }
    assertTrue(out.length() <= input.length, "more data out than bytes in");
    assertTrue(d.heldBytes() <= Math.max(ChunkedDecoder.MAX_SIZE_LINE, 16384), "held " + d.heldBytes());
    return out + " | " + end[0];
  }

  private static byte[] canonical(String startLine, HttpFields fields) {
    StringBuilder b = new StringBuilder(startLine).append("\r\n");
    for (HttpField f : fields) {
      b.append(f.name()).append(": ").append(f.value()).append("\r\n");
    }
    return b.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1);
  }
}
