package io.hopwise.server;

import io.hopwise.ProxyOptions;
import io.hopwise.http.RequestHead;
import io.hopwise.io.PendingBytes;
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
   * The request-head parser for {@code options}' head limits, one per loop and snapshot rather
   * than one per connection (issue 28: 120 B an idle connection kept). A head is parsed whole
   * within one call, from the bytes alone, so connections can share it; what they share is only
   * the hint of which field name follows which ({@code FieldOrder}), learnt from the loop's last
   * head instead of the connection's. Event loop only.
   */
  PendingBytes.HeadParser<RequestHead> requestParser(ProxyOptions options);

  /** The loop's memo of recent request-target origins, shared by its connections ({@link io.hopwise.http.RequestTarget.Memo}). */
  io.hopwise.http.RequestTarget.Memo targets();

  /** The request planner's facts for a client connection, shared with the loop's like ones ({@link PlanFactsMemo}). Event loop only. */
  io.hopwise.policy.RequestPlanner.Facts planFacts(ProxyOptions options, io.vertx.core.net.NetSocket socket, String clientAddress);

  /**
   * Someone has read the connection view in the last minute (issue 24): exchanges then take
   * TCP_INFO at their first and last byte too. A volatile read.
   */
  boolean watched();
}
