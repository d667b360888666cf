package io.hopwise.app.lab;

import java.util.PriorityQueue;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A point-to-point link between two TUN devices that sends packets at a rate, holds every packet
 * for {@code oneWay} before it comes out of the other end, and may drop some: the kernel's TCP on both sides sees a
 * real round trip (handshakes, slow start, delayed ACKs all happen) without netem, which this
 * machine's kernel lacks. Each direction has a reader thread (blocking read on one device) and a
 * writer thread (packets leave in arrival order, each at its due time). At most
 * {@code queueLimit} packets wait per direction, as in a router's buffer: more are dropped.
 */
final class DelayLink implements AutoCloseable {
  private final Direction ab;
  private final Direction ba;

  /** Packets carried and dropped (by loss or a full queue), both ways. */
  final AtomicLong carried = new AtomicLong();
  final AtomicLong dropped = new AtomicLong();

  /**
   * @param bitsPerSecond the link's rate, each way: a packet is sent after those before it (its
   *     size at this rate), then travels for {@code oneWayNanos}; 0: no limit
   */
  DelayLink(Tun a, Tun b, long oneWayNanos, long bitsPerSecond, double loss, int queueLimit, long seed) {
    ab = new Direction(a, b, oneWayNanos, bitsPerSecond, loss, queueLimit, new Random(seed));
    ba = new Direction(b, a, oneWayNanos, bitsPerSecond, loss, queueLimit, new Random(seed + 1));
  }

  void start() {
    ab.start(this);
    ba.start(this);
  }

  private record Packet(long dueNanos, long seq, byte[] bytes, int length) {}

  private static final class Direction {
    private final Tun from;
    private final Tun to;
    private final long delay;
    private final long bitsPerSecond;
    /** When the link finishes sending the last packet queued (its serialization), System.nanoTime. */
    private long sendingUntil;
    private final double loss;
    private final int limit;
    private final Random random;
    private final PriorityQueue<Packet> queue = new PriorityQueue<>((x, y) -> x.dueNanos() != y.dueNanos()
        ? Long.compare(x.dueNanos(), y.dueNanos()) : Long.compare(x.seq(), y.seq()));
    private long seq;

    Direction(Tun from, Tun to, long delay, long bitsPerSecond, double loss, int limit, Random random) {
      this.from = from;
      this.to = to;
      this.delay = delay;
      this.bitsPerSecond = bitsPerSecond;
      this.loss = loss;
      this.limit = limit;
      this.random = random;
    }

    void start(DelayLink link) {
      Thread reader = new Thread(() -> read(link), "lab-link-" + from.name + "-read");
      Thread writer = new Thread(() -> write(link), "lab-link-" + to.name + "-write");
      reader.setDaemon(true);
      writer.setDaemon(true);
      reader.start();
      writer.start();
    }

    private void read(DelayLink link) {
      byte[] buf = new byte[65536];
      while (!from.isClosed()) {
        int n;
        try {
          n = from.read(buf);
        } catch (RuntimeException e) {
          return; // closed under us
        }
        long now = System.nanoTime();
        synchronized (this) {
          if ((loss > 0 && random.nextDouble() < loss) || queue.size() >= limit) {
            link.dropped.incrementAndGet();
            continue;
          }
          long sent = now;
          if (bitsPerSecond > 0) {
            sendingUntil = Math.max(now, sendingUntil) + n * 8L * 1_000_000_000L / bitsPerSecond;
            sent = sendingUntil;
          }
          queue.add(new Packet(sent + delay, seq++, java.util.Arrays.copyOf(buf, n), n));
          notifyAll();
        }
      }
    }

    private void write(DelayLink link) {
      while (!to.isClosed()) {
        Packet p;
        synchronized (this) {
          Packet head = queue.peek();
          long wait = head == null ? 100_000_000L : head.dueNanos() - System.nanoTime();
          if (wait > 0) {
            try {
              wait(wait / 1_000_000, (int) (wait % 1_000_000));
            } catch (InterruptedException e) {
              return;
            }
            continue;
          }
          p = queue.poll();
        }
        try {
          to.write(p.bytes(), p.length());
          link.carried.incrementAndGet();
        } catch (RuntimeException e) {
          return;
        }
      }
    }
  }

  @Override
  public void close() {
    // Closing the devices ends the threads (their next read or write fails, or they see closed).
    synchronized (ab) {
      ab.notifyAll();
    }
    synchronized (ba) {
      ba.notifyAll();
    }
  }
}
