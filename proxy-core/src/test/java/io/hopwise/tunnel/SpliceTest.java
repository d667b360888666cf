package io.hopwise.tunnel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.hopwise.io.PeerInput;
import io.hopwise.testing.TestVertx;
import io.netty.channel.Channel;
import io.vertx.core.Vertx;
import io.vertx.core.internal.net.NetSocketInternal;
import io.vertx.core.net.NetServer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A splice lets a few reads' worth wait for its target before it pauses the source: with Netty's
 * default (64 KiB, one read) every read paused and resumed the source (issue 28, target 4).
 */
class SpliceTest {
  @Test
  void aTargetHoldsFourReadsWorthBeforeTheSourceIsPaused() throws Exception {
    Vertx vertx = TestVertx.create();
    try {
      CompletableFuture<String> marks = new CompletableFuture<>();
      NetServer server = vertx.createNetServer().connectHandler(s -> {
        Channel ch = ((NetSocketInternal) s).channelHandlerContext().channel();
        String before = ch.config().getWriteBufferLowWaterMark() + "/" + ch.config().getWriteBufferHighWaterMark();
        new Splice(PeerInput.of(s, null), s, () -> {});
        marks.complete(before + " -> " + ch.config().getWriteBufferLowWaterMark() + "/"
            + ch.config().getWriteBufferHighWaterMark());
        s.close();
      });
      int port = server.listen(0, "127.0.0.1").await(5, TimeUnit.SECONDS).actualPort();
      vertx.createNetClient().connect(port, "127.0.0.1").await(5, TimeUnit.SECONDS);
      assertEquals("32768/65536 -> 131072/262144", marks.get(5, TimeUnit.SECONDS));
    } finally {
      vertx.close().await(5, TimeUnit.SECONDS);
    }
  }
}
