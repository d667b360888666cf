package io.hopwise.io;

import io.vertx.core.buffer.Buffer;

/** Bytes read but not parsed yet (a head not complete), kept per connection. */
public final class PendingBytes {
  private PendingBytes() {}

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
}
