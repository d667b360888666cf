package io.hopwise.io;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.DefaultEventLoopGroup;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.local.LocalAddress;
import io.netty.channel.local.LocalChannel;
import io.netty.channel.local.LocalServerChannel;
import io.netty.util.ReferenceCountUtil;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link FlushCoalescer} in a real Netty pipeline on a real event loop (an in-process channel
 * pair). A counter between it and the socket end sees every flush that gets past it. Each test
 * runs its writes as one task on the loop, so "this turn" and "a later turn" mean what they do in
 * the proxy.
 */
class FlushCoalescerTest {
  /** Counts the flushes that reach the socket end of the pipeline. */
  private static final class FlushCounter extends ChannelOutboundHandlerAdapter {
    final AtomicInteger flushes = new AtomicInteger();

    @Override
    public void flush(ChannelHandlerContext ctx) {
      flushes.incrementAndGet();
      ctx.flush();
    }
  }

  private final EventLoopGroup group = new DefaultEventLoopGroup(1);
  private final FlushCounter counter = new FlushCounter();
  private final List<Object> received = new CopyOnWriteArrayList<>();
  private Channel server;
  private Channel channel;

  @BeforeEach
  void connect() throws Exception {
    LocalAddress address = new LocalAddress("flush-" + UUID.randomUUID());
    server = new ServerBootstrap().group(group).channel(LocalServerChannel.class)
        .childHandler(new ChannelInboundHandlerAdapter() {
          @Override
          public void channelRead(ChannelHandlerContext ctx, Object msg) {
            received.add(msg instanceof io.netty.buffer.ByteBuf b ? b.readableBytes() : msg);
            ReferenceCountUtil.release(msg);
          }
        })
        .bind(address).sync().channel();
    channel = new Bootstrap().group(group).channel(LocalChannel.class)
        .handler(new ChannelInitializer<Channel>() {
          @Override
          protected void initChannel(Channel ch) {
            ch.pipeline().addLast(counter, new FlushCoalescer());
          }
        })
        .connect(address).sync().channel();
  }

  @AfterEach
  void close() throws Exception {
    channel.close().sync();
    server.close().sync();
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
  }

  /** Runs {@code turn} as one task on the event loop and waits for it (not for tasks it queues). */
  private void onLoop(Runnable turn) throws Exception {
    channel.eventLoop().submit(turn).get(5, TimeUnit.SECONDS);
  }

  /** Lets the tasks queued so far run. */
  private void nextTurn() throws Exception {
    onLoop(() -> { });
  }

  private void awaitReceived(int n) throws Exception {
    for (int i = 0; i < 500 && received.size() < n; i++) {
      Thread.sleep(10);
    }
    assertEquals(n, received.size(), "messages the peer received: " + received);
  }

  @Test
  void flushesOutsideAReadWaitForTheEndOfTheTurnAndBecomeOne() throws Exception {
    AtomicInteger duringTurn = new AtomicInteger(-1);
    onLoop(() -> {
      channel.writeAndFlush("head");
      channel.writeAndFlush("body");
      duringTurn.set(counter.flushes.get());
    });
    assertEquals(0, duringTurn.get(), "deferred within the turn");
    nextTurn();
    assertEquals(1, counter.flushes.get(), "one flush for both writes");
    awaitReceived(2);
    assertEquals(List.of("head", "body"), received);
    nextTurn();
    assertEquals(1, counter.flushes.get(), "no further flush when nothing is pending");
  }

  @Test
  void eachTurnGetsItsOwnFlush() throws Exception {
    onLoop(() -> channel.writeAndFlush("a"));
    nextTurn();
    onLoop(() -> channel.writeAndFlush("b"));
    nextTurn();
    assertEquals(2, counter.flushes.get());
    awaitReceived(2);
  }

  @Test
  void duringAReadTheFlushWaitsForReadComplete() throws Exception {
    onLoop(() -> {
      channel.pipeline().fireChannelRead("request");
      channel.writeAndFlush("response");
    });
    nextTurn();
    assertEquals(0, counter.flushes.get(), "a read is in progress: its completion flushes, not a task");
    onLoop(() -> channel.pipeline().fireChannelReadComplete());
    assertEquals(1, counter.flushes.get());
    awaitReceived(1);
  }

  @Test
  void whatHandlesAReadSeesTheClockAsOfTheReadsStart() throws Exception {
    long[] seen = new long[4];
    channel.pipeline().addLast(new ChannelInboundHandlerAdapter() {
      @Override
      public void channelRead(ChannelHandlerContext ctx, Object msg) {
        seen[0] = LoopClock.nanoTime();
        java.util.concurrent.locks.LockSupport.parkNanos(2_000_000);
        seen[1] = LoopClock.nanoTime();
      }
    });
    onLoop(() -> {
      channel.pipeline().fireChannelRead("request");
      seen[2] = LoopClock.nanoTime();
      java.util.concurrent.locks.LockSupport.parkNanos(2_000_000);
      seen[3] = LoopClock.nanoTime();
    });
    assertEquals(seen[0], seen[1], "one reading for the whole read");
    org.junit.jupiter.api.Assertions.assertTrue(seen[3] - seen[2] >= 2_000_000, "the live clock once the read is over");
  }

  @Test
  void closeFlushesWhatWasWrittenBeforeIt() throws Exception {
    AtomicInteger beforeClose = new AtomicInteger(-1);
    onLoop(() -> {
      channel.writeAndFlush("last words");
      beforeClose.set(counter.flushes.get());
      channel.close();
    });
    assertEquals(0, beforeClose.get());
    assertEquals(1, counter.flushes.get(), "flushed by the close, in the same turn");
    awaitReceived(1);
  }

  @Test
  void losingWritabilityFlushesAtOnce() throws Exception {
    // Each queued message also counts Netty's per-entry overhead (about 100 bytes) against the mark.
    channel.config().setWriteBufferWaterMark(new WriteBufferWaterMark(500, 1000));
    AtomicInteger afterFirst = new AtomicInteger(-1);
    AtomicInteger afterSecond = new AtomicInteger(-1);
    onLoop(() -> {
      channel.writeAndFlush(Unpooled.wrappedBuffer(new byte[3]));
      afterFirst.set(counter.flushes.get());
      channel.write(Unpooled.wrappedBuffer(new byte[2000])); // over the high mark: unwritable
      afterSecond.set(counter.flushes.get());
    });
    assertEquals(0, afterFirst.get(), "still writable: deferred");
    assertEquals(1, afterSecond.get(), "unwritable: flushed in the same turn");
    awaitReceived(1);
  }

  @Test
  void aLongTurnFlushesAtTheLimit() throws Exception {
    AtomicInteger duringTurn = new AtomicInteger(-1);
    onLoop(() -> {
      for (int i = 0; i < FlushCoalescer.FLUSH_AFTER_FLUSHES; i++) {
        channel.writeAndFlush(i);
      }
      duringTurn.set(counter.flushes.get());
    });
    assertEquals(1, duringTurn.get(), "flushed at once at the limit, before the turn ended");
    awaitReceived(FlushCoalescer.FLUSH_AFTER_FLUSHES);
  }
}
