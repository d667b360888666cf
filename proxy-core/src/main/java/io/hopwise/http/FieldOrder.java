package io.hopwise.http;

import java.util.Arrays;

/**
 * Which name followed which in the last field sections a parser read, as {@link FieldNames} ids.
 * A client sends the same names in the same order on each request of a connection (a browser's
 * or a library's fixed list; a browser leaves out or adds a line or two between a page and its
 * images), and an origin answers with the same ones each time. So the name that followed the
 * previous line's name last time is checked first: one comparison in place of finding the colon
 * and a hash lookup. Keyed by the previous name rather than by position, a line added or left
 * out costs a wrong guess or two, not every guess after it. A wrong guess costs that comparison,
 * then the line is read as usual: what is parsed never depends on the guess.
 *
 * <p>One per parser; the proxy keeps one request parser per event loop (issue 28: per connection
 * it was 80 B an idle connection kept), so the guess is the order of the loop's last head: the same
 * client library behind a sidecar guesses as well as before, and a mix of clients costs a wrong
 * guess or two per head. Not for sharing between threads (a race would only spoil a guess, never a
 * result).
 */
final class FieldOrder {
  /** The "previous name" of a section's first line. */
  static final int START = -2;

  /**
   * The guess after each previous name: index 0 after START, 1 after a name with no id, id + 2
   * after an id. Bytes: ids are below 64 (FieldNames checks).
   */
  private final byte[] next = new byte[FieldNames.TABLE.size() + 2];

  FieldOrder() {
    Arrays.fill(next, (byte) FieldNames.NONE);
  }

  /** The id of the name that followed {@code previous} last time, or {@link FieldNames#NONE}. */
  int after(int previous) {
    return next[previous + 2];
  }

  /** Remembers that {@code id} followed {@code previous}. */
  void record(int previous, int id) {
    next[previous + 2] = (byte) id;
  }
}
