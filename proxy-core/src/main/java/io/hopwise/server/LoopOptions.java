package io.hopwise.server;

import io.hopwise.ProxyOptions;
import io.hopwise.upstream.Dialer;

/**
 * The options in force and what one event loop derives from them (issue 26: a reload applies to
 * new requests and new tunnels). A connection takes a snapshot with {@link #current()} when a
 * request begins and uses it for the whole exchange, so a request never sees half of two
 * configurations; what in-flight exchanges hold is never changed.
 */
interface LoopOptions {
  /** The options in force now (a volatile read). */
  ProxyOptions current();

  /**
   * The dialer for {@code options} (its destination rules and connect timeout). Made once per
   * snapshot on this loop; the loop's pool takes that snapshot's pool settings at the same time.
   * Event loop only.
   */
  Dialer dialer(ProxyOptions options);

  /**
   * Someone has read the connection view in the last minute (issue 24): exchanges then take
   * TCP_INFO at their first and last byte too. A volatile read.
   */
  boolean watched();
}
