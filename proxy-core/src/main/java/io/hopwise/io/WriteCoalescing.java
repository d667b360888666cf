package io.hopwise.io;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.vertx.core.internal.net.NetSocketInternal;
import io.vertx.core.net.NetSocket;

/**
 * One system call per event-loop turn instead of one per write. Vert.x flushes every write made
 * outside the socket's own read, so a response head and its body, forwarded while the upstream
 * socket is being read, went out as two sends (and a chunk as three). {@link FlushCoalescer}
 * defers those flushes to the end of the turn: the bytes leave together in one writev. Writability
 * (and so backpressure) still counts the unflushed bytes, and a write's future still completes
 * only once it is really flushed, which is what the graceful close waits on.
 */
public final class WriteCoalescing {
  private static final String NAME = "hopwiseFlushConsolidation";

  private WriteCoalescing() {}

  /** Flushes what the coalescing holds back, now (before a close that bypasses the pipeline). */
  static void flushNow(Channel channel) {
    ChannelHandlerContext ctx = channel.pipeline().context(NAME);
    if (ctx != null && channel.isActive()) {
      ctx.flush(); // from the handler's own context: goes past it, straight toward the socket
    }
  }

  public static void install(NetSocket socket) {
    if (!(socket instanceof NetSocketInternal internal)) {
      return;
    }
    ChannelPipeline pipeline = internal.channelHandlerContext().pipeline();
    if (pipeline.get(NAME) == null && pipeline.get("handler") != null) {
      // Before Vert.x's handler, so that every write it makes passes through.
      pipeline.addBefore("handler", NAME, new FlushCoalescer());
    }
  }
}
