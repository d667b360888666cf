package io.hopwise.io;

import io.hopwise.http.ParseOutcome;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.buffer.impl.BufferImpl;
import io.vertx.core.internal.buffer.BufferInternal;

/** Bytes read but not parsed yet (a head not complete), kept per connection. */
public final class PendingBytes {
  private PendingBytes() {}

  /**
   * Nothing pending: one shared buffer instead of a new empty one per connection and per head
   * (three objects each time; issue 28). It cannot grow, so appending to it by mistake throws
   * instead of handing bytes to another connection: add to pending bytes only through
   * {@link #append} and {@link #appendCopy}, which never write into it.
   */
  public static final Buffer NONE = BufferInternal.buffer(Unpooled.EMPTY_BUFFER);

  /**
   * {@code pending} with {@code slice} added, copied: a slice of another buffer is never appended
   * to nor kept as the pending buffer (it shares, and cannot grow past, its parent's bytes).
   */
  public static Buffer appendCopy(Buffer pending, Buffer slice) {
    if (slice.length() == 0) {
      return pending;
    }
    if (pending.length() == 0) {
      return Buffer.buffer(slice.length()).appendBuffer(slice);
    }
    return pending.appendBuffer(slice);
  }

  /**
   * {@code pending} with {@code data} added. Usually a head arrives whole and nothing is pending:
   * then the buffer Vert.x handed over (a copy of its own, never touched again) becomes the pending
   * one instead of being copied into it. Callers replace {@code pending} before taking slices of it,
   * so only a buffer of their own is ever appended to.
   */
  public static Buffer append(Buffer pending, Buffer data) {
    if (pending.length() == 0) {
      return data;
    }
    return pending.appendBuffer(data);
  }

  /** How much of the pending bytes a first try at parsing a head is given (copied, if not in place). */
  static final int HEAD_PREFIX = 2048;

  /**
   * A head parser over b[0, length): the outcome depends on the bytes alone, as with
   * RequestHeadParser and ResponseHeadParser (which keep only a speed hint between heads).
   */
  @FunctionalInterface
  public interface HeadParser<H> {
    ParseOutcome<H> parse(byte[] b, int length);
  }

  /**
   * Parses the head at the start of {@code pending}, in place where it can (see
   * {@link #wholeArray}), else from a private copy. When more than
   * {@link #HEAD_PREFIX} bytes are pending, only that much is parsed (so copied) first: the body bytes read
   * together with a head (16 KiB of them, say) go on as a slice of {@code pending} and need no
   * copy of their own. Parsing a prefix is parsing what would have arrived first, so a longer head
   * comes back as "need more", and is then parsed from all the bytes. Two consequences, both
   * accepted: a head of over 2 KiB still arriving is scanned twice per read (the prefix, then all);
   * and with head limits set below 2 KiB, a head refused for its size within the prefix gets that
   * refusal (414/431) even if a bare LF further on would have got 400, as when a read ends there.
   * In place the prefix saves nothing, and is kept so that both paths decide alike.
   */
  public static <H> ParseOutcome<H> parseHead(Buffer pending, HeadParser<H> parser) {
    int have = pending.length();
    byte[] own = wholeArray(pending);
    if (have > HEAD_PREFIX) {
      ParseOutcome<H> first = parser.parse(own != null ? own : pending.getBytes(0, HEAD_PREFIX), HEAD_PREFIX);
      if (!(first instanceof ParseOutcome.NeedMore<H>)) {
        return first;
      }
    }
    return parser.parse(own != null ? own : pending.getBytes(), have);
  }

  /**
   * The heap array holding {@code pending} from its first byte, or null. The parsed head keeps
   * ranges of the array it was parsed from (values are read lazily), so the array must never
   * change below {@code length()}: that holds for the buffers Vert.x hands over (a fresh copy of
   * each read) and ours, which are only ever appended to; an append that outgrows the array
   * moves to a new one. Parsing in place saves a copy of every head.
   */
  static byte[] wholeArray(Buffer pending) {
    if (pending instanceof BufferImpl impl) {
      ByteBuf b = impl.byteBuf();
      if (b.hasArray() && b.arrayOffset() == 0 && b.readerIndex() == 0) {
        return b.array();
      }
    }
    return null;
  }
}
