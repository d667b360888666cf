package io.hopwise.io;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.util.ReferenceCountUtil;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.net.NetSocketInternal;
import io.vertx.core.net.NetSocket;
import java.util.ArrayDeque;
import java.util.function.Consumer;

/**
 * A socket's input as one ordered stream: its bytes, then exactly one end, either the peer's
 * orderly end of stream or a break, and the end never overtakes a byte (http-rules C7).
 *
 * <p>Why not NetSocket's own pause, handler and closeHandler: Vert.x keeps the bytes of a paused
 * socket in queues of its own, but reports the peer's FIN (as an event) and the channel's close
 * (as closeHandler) at once, ahead of them. A proxy that acts on that end then loses what was
 * still queued: a close-delimited body ends "complete" but short, a tunnel half-closes before its
 * last bytes (issue 22). So the socket is never paused in Vert.x; bytes are taken as they arrive,
 * and while our reader is paused they wait here, in order, with the end behind them. Reading
 * from the kernel stops through Netty's auto-read, so this queue holds at most what the kernel
 * had received when the pause began: one read loop's worth on NIO; epoll, once it has seen the
 * peer's FIN, drains the socket's receive buffer; io_uring completes a read it had submitted.
 *
 * <p>Half-closure is allowed on the channel, so a FIN is an event and not a close: the owner
 * decides when to close. Event loop only.
 */
public final class PeerInput {
  /** What reads this input. Every call happens on the socket's event loop, in arrival order. */
  public interface Reader {
    void data(Buffer data);

    /** The peer ended its stream in order (its FIN; over TLS, the FIN after close_notify), after every byte above. */
    void ended();

    /**
     * The input broke (a reset, an error) or the connection closed before an orderly end,
     * after every byte received before it. {@code cause} is null for a close without an error.
     */
    void broken(Throwable cause);

    /** A reader made of three callbacks. */
    static Reader of(Consumer<Buffer> data, Runnable ended, Consumer<Throwable> broken) {
      return new Reader() {
        @Override
        public void data(Buffer b) {
          data.accept(b);
        }

        @Override
        public void ended() {
          ended.run();
        }

        @Override
        public void broken(Throwable cause) {
          broken.accept(cause);
        }
      };
    }
  }

  /** The peer's end, queued behind data: one of these, once. */
  private record End(Throwable cause, boolean orderly) {}

  private final NetSocket socket;
  private final Channel channel;
  /** What waits for a paused reader; made when first needed (most connections never wait: 112 B each otherwise). */
  private ArrayDeque<Object> queue;
  private Reader reader;
  private Runnable onClosed;
  private boolean paused;
  private boolean delivering;
  private boolean endSeen;
  private boolean endDelivered;
  private long queuedBytes;
  private long maxQueuedBytes;
  /** Where the bytes go once they bypass the reader (see {@link #direct}), else null. */
  private Consumer<ByteBuf> directSink;
  private boolean directOn;

  private PeerInput(NetSocket socket, Reader reader) {
    this.socket = socket;
    this.reader = reader;
    this.channel = SocketClosing.channel(socket);
    if (channel != null) {
      channel.config().setOption(ChannelOption.ALLOW_HALF_CLOSURE, true);
    }
    socket.handler(this::arrived);
    socket.exceptionHandler(this::failed);
    socket.closeHandler(v -> closed());
    if (socket instanceof NetSocketInternal internal) {
      internal.eventHandler(this::event);
    }
  }

  /** Takes over the socket's input: from now on {@code reader} gets its bytes and its end. */
  public static PeerInput of(NetSocket socket, Reader reader) {
    return new PeerInput(socket, reader);
  }

  public NetSocket socket() {
    return socket;
  }

  /** From now on {@code r} reads (what is queued included). */
  public void reader(Reader r) {
    this.reader = r;
  }

  /**
   * Runs at once when the connection closes, whatever is still queued: for bookkeeping only
   * (counting, logging, releasing). Whether the input ended in order is the reader's to learn.
   */
  public void onClosed(Runnable r) {
    this.onClosed = r;
  }

  /** Stops delivering to the reader and stops reading from the kernel (backpressure). */
  public void pause() {
    if (!paused) {
      paused = true;
      autoRead(false);
    }
  }

  /** Delivers what is queued, in order, then reads again. */
  public void resume() {
    if (!paused) {
      return;
    }
    paused = false;
    deliver();
    if (!paused && !endSeen) {
      autoRead(true);
    }
  }

  /**
   * From now on the socket's bytes go to {@code sink} as Netty's own buffers, and no longer to
   * the reader: a tunnel need not look at its bytes, and Vert.x copies every read into a new heap
   * buffer before a handler sees it (issue 28: the largest cost of a tunnel). The sink owns each
   * buffer: it writes or releases it. Bytes already waiting here go to the reader first (the switch
   * waits until none do), and the end still goes to the reader, after every byte; {@link #pause}
   * still stops reading from the kernel, but a buffer the kernel had already handed over still
   * reaches the sink at once. Sockets other than Vert.x's own keep using the reader.
   */
  public void direct(Consumer<ByteBuf> sink) {
    directSink = sink;
    goDirectIfNothingWaits();
  }

  private void goDirectIfNothingWaits() {
    if (directSink != null && !directOn && queuedBytes == 0 && socket instanceof NetSocketInternal internal) {
      directOn = true;
      internal.messageHandler(this::arrivedDirect);
    }
  }

  private void arrivedDirect(Object message) {
    if (message instanceof ByteBuf data && !endSeen) {
      directSink.accept(data);
    } else {
      ReferenceCountUtil.release(message); // nothing follows an end
    }
  }

  /** The reader has been told of the end (orderly or not): nothing more will come. */
  public boolean hasEnded() {
    return endDelivered;
  }

  /** The most bytes that ever waited for the reader at once (to show the queue stays small). */
  public long maxQueuedBytes() {
    return maxQueuedBytes;
  }

  private void arrived(Buffer data) {
    if (endSeen) {
      return; // nothing follows an end
    }
    if (!paused && (queue == null || queue.isEmpty())) {
      reader.data(data);
      return;
    }
    waiting().add(data);
    queuedBytes += data.length();
    maxQueuedBytes = Math.max(maxQueuedBytes, queuedBytes);
  }

  private void event(Object event) {
    if (event instanceof ChannelInputShutdownEvent) {
      EpollHalfClosed.keepRegistered(channel); // Netty 4.2.18 epoll; see there
      end(new End(null, true));
    } else {
      ReferenceCountUtil.release(event);
    }
  }

  private void failed(Throwable cause) {
    end(new End(cause, false));
  }

  private void closed() {
    Runnable r = onClosed;
    if (r != null) {
      r.run();
    }
    end(new End(null, false)); // no-op after an orderly end or an error
  }

  private void end(End end) {
    if (endSeen) {
      return;
    }
    endSeen = true;
    waiting().add(end);
    deliver();
  }

  private ArrayDeque<Object> waiting() {
    if (queue == null) {
      queue = new ArrayDeque<>(4);
    }
    return queue;
  }

  private void deliver() {
    if (delivering) {
      return; // a reader call resumed us: the loop below goes on
    }
    delivering = true;
    try {
      Object next;
      while (!paused && queue != null && (next = queue.poll()) != null) { // null: nothing ever waited
        if (next instanceof Buffer b) {
          queuedBytes -= b.length();
          reader.data(b);
        } else {
          End e = (End) next;
          endDelivered = true;
          if (e.orderly()) {
            reader.ended();
          } else {
            reader.broken(e.cause());
          }
        }
      }
    } finally {
      delivering = false;
    }
    goDirectIfNothingWaits();
  }

  private void autoRead(boolean on) {
    if (channel != null && channel.isActive()) {
      channel.config().setAutoRead(on);
    }
  }
}
