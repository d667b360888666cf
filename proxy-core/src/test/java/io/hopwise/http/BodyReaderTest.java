package io.hopwise.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The one body reader, as a table: framing and bytes in, what the sink saw out. Every case is fed
 * whole and then split at every byte, and must read the same either way (bytes arrive as they
 * please).
 */
class BodyReaderTest {
  private static final Rejection TOO_LARGE = new Rejection(413, "too large");

  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of("a length, then the next message", (Supplier<BodyReader>) () -> BodyReader.of(BodyFraming.length(5), 400, 16384, 100, 0, TOO_LARGE),
            "helloNEXT", "data=hello end trailers=[] rest=NEXT"),
        Arguments.of("chunked with a trailer, then the next message", (Supplier<BodyReader>) () -> BodyReader.of(BodyFraming.CHUNKED, 400, 16384, 100, 0, TOO_LARGE),
            "5\r\nhello\r\n3;x=1\r\n!!!\r\n0\r\nX-T: y\r\n\r\nNEXT", "data=hello!!! end trailers=[X-T: y] rest=NEXT"),
        Arguments.of("a chunked framing fault on a response is a 502", (Supplier<BodyReader>) () -> BodyReader.of(BodyFraming.CHUNKED, 502, 16384, 100, 0, TOO_LARGE),
            "5\r\nhello\r\nzz\r\n", "data=hello rejected=502"),
        Arguments.of("a chunked body past the limit: the limit's worth goes on, then it stops, without an end", (Supplier<BodyReader>) () -> BodyReader.of(BodyFraming.CHUNKED, 400, 16384, 100, 6, TOO_LARGE),
            "5\r\nhello\r\n5\r\nworld\r\n0\r\n\r\n", "data=hellow rejected=413 exceeded"),
        Arguments.of("a chunked body at the limit is whole", (Supplier<BodyReader>) () -> BodyReader.of(BodyFraming.CHUNKED, 400, 16384, 100, 5, TOO_LARGE),
            "5\r\nhello\r\n0\r\n\r\n", "data=hello end trailers=[] rest="),
        Arguments.of("until close: everything is body, and it never ends by itself", (Supplier<BodyReader>) () -> BodyReader.of(BodyFraming.UNTIL_CLOSE, 502, 16384, 100, 0, TOO_LARGE),
            "all of it\r\n0\r\n\r\n", "data=all of it\r\n0\r\n\r\n"),
        Arguments.of("no body: ended before any byte", (Supplier<BodyReader>) () -> BodyReader.of(BodyFraming.length(0), 400, 16384, 100, 0, TOO_LARGE),
            "NEXT", "(done at start)"),
        Arguments.of("relaying chunked: the bytes as framed, up to the end", (Supplier<BodyReader>) () -> BodyReader.relaying(BodyFraming.CHUNKED, 16384, 100),
            "5\r\nhello\r\n0\r\n\r\nNEXT", "data=5\r\nhello\r\n0\r\n\r\n end trailers=[] rest=NEXT"),
        Arguments.of("relaying a faulty chunked body: passed on as received, to the end of the connection", (Supplier<BodyReader>) () -> BodyReader.relaying(BodyFraming.CHUNKED, 16384, 100),
            "5\r\nhello\r\nzz\r\nmore", "data=5\r\nhello\r\nzz\r\nmore"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void readsTheSameWholeOrSplitAtAnyByte(String name, Supplier<BodyReader> reader, String wire, String expected) {
    byte[] b = wire.getBytes(StandardCharsets.ISO_8859_1);
    assertEquals(expected, read(reader.get(), b, b.length), "whole");
    for (int split = 1; split < b.length; split++) {
      assertEquals(expected, read(reader.get(), b, split), "split at " + split);
    }
  }

  /** Feeds {@code b} in two parts; bytes fed after the end count as rest, as a caller would hand them on. */
  private static String read(BodyReader reader, byte[] b, int split) {
    if (reader.isDone()) {
      return "(done at start)";
    }
    StringBuilder data = new StringBuilder();
    StringBuilder ending = new StringBuilder();
    Rejection[] rejected = {null};
    BodyReader.Sink sink = BodyReader.Sink.of(bytes -> data.append(bytes.toString(StandardCharsets.ISO_8859_1)),
        (trailers, rest) -> ending.append(" end trailers=").append(trailers).append(" rest=")
            .append(rest.toString(StandardCharsets.ISO_8859_1)));
    for (Buffer part : new Buffer[] {Buffer.buffer(b).slice(0, split), Buffer.buffer(b).slice(split, b.length)}) {
      if (reader.isDone()) {
        ending.append(part.toString(StandardCharsets.ISO_8859_1));
        continue;
      }
      if (rejected[0] == null) {
        rejected[0] = reader.feed(part, sink);
      }
    }
    String out = "data=" + data + ending;
    if (rejected[0] != null) {
      out += " rejected=" + rejected[0].status() + (reader.exceededLimit() ? " exceeded" : "");
    }
    return out;
  }
}
