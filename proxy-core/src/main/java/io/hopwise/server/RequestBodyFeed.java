package io.hopwise.server;

import io.hopwise.forward.Exchange;
import io.hopwise.http.BodyFraming;
import io.hopwise.http.BodyReader;
import io.hopwise.http.HeadLimits;
import io.hopwise.http.HttpFields;
import io.hopwise.http.Rejection;
import io.vertx.core.buffer.Buffer;

/**
 * The request body of the exchange in progress, read through the one body reader and fed to the
 * exchange. The bytes read with the head wait until the upstream is ready ({@link #start}). A
 * chunked body's size is known only as it arrives: past the limit, 413 (a Content-Length above it
 * is refused before reading, {@link #tooLarge}).
 */
final class RequestBodyFeed {
  /** What the client connection does when the body ends or breaks. */
  interface Ending {
    /** The whole body went to {@code exchange}; {@code rest} is what the client sent after it. */
    void bodyDone(Exchange exchange, HttpFields trailers, Buffer rest);

    /** The body is faulty, or passed the limit ({@code limitExceeded}): the rest of it is not read. */
    void bodyFailed(Exchange exchange, Rejection rejection, boolean limitExceeded);
  }

  private final Exchange exchange;
  private final BodyReader reader;
  private final BodyReader.Sink sink;
  private final Ending ending;
  private Buffer early;

  RequestBodyFeed(Exchange exchange, BodyFraming framing, Buffer early, HeadLimits trailerLimits, long maxBody,
      Ending ending) {
    this.exchange = exchange;
    this.early = early;
    this.ending = ending;
    this.reader = BodyReader.of(framing, 400, trailerLimits.maxHeaderBytes(), trailerLimits.maxFields(), maxBody,
        tooLarge(maxBody));
    this.sink = BodyReader.Sink.of(exchange::requestData, (trailers, rest) -> ending.bodyDone(exchange, trailers, rest));
  }

  /** 413 for a body larger than {@code maxBody} bytes. */
  static Rejection tooLarge(long maxBody) {
    return new Rejection(413, "request body larger than " + maxBody + " bytes");
  }

  /** The upstream is ready: the bytes read with the head go first. */
  void start() {
    Buffer e = early;
    early = null;
    if (e != null && e.length() > 0) {
      feed(e);
    }
  }

  void feed(Buffer data) {
    Rejection r = reader.feed(data, sink);
    if (r != null) {
      ending.bodyFailed(exchange, r, reader.exceededLimit());
    }
  }
}
