package io.hopwise.http;

import io.vertx.core.buffer.Buffer;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * One message body read as it arrives, whatever its framing (RFC 9112 6.3): a length, the chunked
 * coding with its trailers (strict, {@link ChunkedDecoder}), or until the connection closes; with
 * an optional size limit. The one reader behind request bodies (client connections, dumb mode)
 * and response bodies (upstream connections). Pure: bytes in, parts out.
 */
public final class BodyReader {
  /** Receives the body's parts, in order. Data slices share memory with the input. */
  public interface Sink {
    /** Body bytes: de-chunked, or for a {@linkplain #relaying relaying} reader, as framed on the wire. */
    void data(Buffer bytes);

    /** The body ended; {@code rest} holds the bytes that follow it (the next message). */
    void end(HttpFields trailers, Buffer rest);

    /** A sink made of two callbacks. */
    static Sink of(Consumer<Buffer> data, BiConsumer<HttpFields, Buffer> end) {
      return new Sink() {
        @Override
        public void data(Buffer bytes) {
          data.accept(bytes);
        }

        @Override
        public void end(HttpFields trailers, Buffer rest) {
          end.accept(trailers, rest);
        }
      };
    }
  }

  private final BodyFraming.Kind kind;
  private final ChunkedDecoder chunked;
  private final boolean relaying;
  private final long maxBytes;
  private final Rejection tooLarge;
  private long remaining;
  private long bytes;
  private boolean exceeded;
  private boolean done;
  /** A relaying reader met a chunked framing fault: from then on every byte goes on, and the body never ends. */
  private boolean passThrough;
  /** The sink of the feed in progress, for the chunked decoder's callbacks (no allocation per feed). */
  private Sink sink;
  private Buffer input;
  /** Made only for a chunked body: most bodies have a length and need none. */
  private final ChunkedDecoder.Sink decoded;

  private final class Decoded implements ChunkedDecoder.Sink {
    @Override
    public void data(Buffer chunk) {
      if (exceeded) {
        return;
      }
      if (maxBytes > 0 && bytes + chunk.length() > maxBytes) {
        // At most the limit goes on, however the bytes were split: then the rest is refused.
        exceeded = true;
        int within = (int) (maxBytes - bytes);
        bytes = maxBytes;
        if (within > 0 && !relaying) {
          sink.data(chunk.slice(0, within));
        }
        return;
      }
      bytes += chunk.length();
      if (!relaying) {
        sink.data(chunk);
      }
    }

    @Override
    public void end(HttpFields trailers, Buffer rest) {
      if (exceeded) {
        return;
      }
      done = true;
      if (relaying) {
        sink.data(input.slice(0, input.length() - rest.length()));
      }
      sink.end(trailers, rest);
    }
  }

  private BodyReader(BodyFraming framing, int faultStatus, int maxTrailerBytes, int maxTrailerFields, long maxBytes,
      Rejection tooLarge, boolean relaying) {
    this.kind = framing.kind();
    this.remaining = kind == BodyFraming.Kind.LENGTH ? framing.length() : 0;
    this.chunked = kind == BodyFraming.Kind.CHUNKED
        ? new ChunkedDecoder(faultStatus, maxTrailerBytes, maxTrailerFields) : null;
    this.decoded = chunked != null ? new Decoded() : null;
    this.maxBytes = maxBytes;
    this.tooLarge = tooLarge;
    this.relaying = relaying;
    this.done = !framing.hasBody();
  }

  /**
   * A reader of de-framed bytes.
   *
   * @param faultStatus the status of a chunked framing fault: 400 for a request, 502 for a response
   * @param maxTrailerBytes and {@code maxTrailerFields}: limits on the trailer section
   * @param maxBytes the most body bytes taken, or 0 for no limit (a Content-Length above it is
   *     refused before reading, by the caller); past it, {@code tooLarge} is the answer
   */
  public static BodyReader of(BodyFraming framing, int faultStatus, int maxTrailerBytes, int maxTrailerFields,
      long maxBytes, Rejection tooLarge) {
    return new BodyReader(framing, faultStatus, maxTrailerBytes, maxTrailerFields, maxBytes, tooLarge, false);
  }

  /**
   * A reader that passes the bytes on as framed (dumb mode relays a body unchanged) and only
   * finds where it ends. A chunked framing fault is not its to judge: from there on every byte
   * goes on as received, until the connection ends.
   */
  public static BodyReader relaying(BodyFraming framing, int maxTrailerBytes, int maxTrailerFields) {
    return new BodyReader(framing, 400, maxTrailerBytes, maxTrailerFields, 0, null, true);
  }

  /** True once the body has ended (never for a body that runs until the connection closes). */
  public boolean isDone() {
    return done;
  }

  /** True once a chunked body passed the size limit: the rest of it is not read. */
  public boolean exceededLimit() {
    return exceeded;
  }

  /**
   * Takes the next bytes. Returns null when all is well, or why reading stopped: a chunked
   * framing fault, or the size limit (then nothing more is passed on and {@code end} never comes).
   * Bytes fed after the end go to nobody: the caller hands {@code rest} on instead.
   */
  public Rejection feed(Buffer data, Sink to) {
    if (done || exceeded) {
      return null;
    }
    if (kind == BodyFraming.Kind.LENGTH) {
      feedLength(data, to); // the common case first, in a small method
      return null;
    }
    if (passThrough || kind == BodyFraming.Kind.UNTIL_CLOSE) {
      to.data(data);
      return null;
    }
    return kind == BodyFraming.Kind.CHUNKED ? feedChunked(data, to) : null; // NONE: done from the start
  }

  private void feedLength(Buffer data, Sink to) {
    int take = (int) Math.min(remaining, data.length());
    remaining -= take;
    to.data(take == data.length() ? data : data.slice(0, take));
    if (remaining == 0) {
      done = true;
      to.end(HttpFields.EMPTY, data.slice(take, data.length()));
    }
  }

  private Rejection feedChunked(Buffer data, Sink to) {
    sink = to;
    input = data;
    Rejection fault;
    try {
      fault = chunked.feed(data, decoded);
    } finally {
      sink = null;
      input = null;
    }
    if (exceeded) {
      return tooLarge;
    }
    if (fault != null && relaying) {
      // Not ours to judge: relay what came, and all that follows, and let the origin decide.
      passThrough = true;
      to.data(data);
      return null;
    }
    if (relaying && !done) {
      to.data(data);
    }
    return fault;
  }
}
