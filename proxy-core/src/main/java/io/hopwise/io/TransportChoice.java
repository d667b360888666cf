package io.hopwise.io;

import java.util.Locale;

/**
 * Which socket transport to run on: pure policy, the transports' availability is passed in.
 * {@code auto} takes epoll, else Java NIO. Netty's io_uring transport hands the kernel a turn's
 * reads and writes in one system call and cost about a sixth less CPU per request in bench/ab.sh,
 * but correctness comes first: Netty 4.2.18's io_uring missed an origin's reset (issue 22: the
 * exchange hung; worked around in {@link Transports}), and a new Vert.x's first connection on it
 * was seen to close at once in 3 of 700 starts, not understood (issue 7). So io_uring runs only
 * when asked for by name (bench/README.md has the figures).
 */
public final class TransportChoice {
  public enum Kind {
    AUTO, IO_URING, EPOLL, NIO;

    /** Parses the lower-case name used in the config and on the start-up line. */
    public static Kind parse(String s) {
      for (Kind k : values()) {
        if (k.toString().equals(s)) {
          return k;
        }
      }
      throw new IllegalArgumentException("expected auto, io_uring, epoll or nio, got '" + s + "'");
    }

    @Override
    public String toString() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /**
   * The transport to use, never {@link Kind#AUTO}; and why a faster one was passed over (null when
   * none was, or when the choice was asked for by name).
   */
  public record Chosen(Kind kind, String fallback) {}

  private TransportChoice() {}

  /**
   * The first choice, from what the transports' probes say.
   *
   * @param ioUringProblem why io_uring cannot run here, or null when it can
   * @param epollProblem why epoll cannot run here, or null when it can
   * @throws IllegalStateException when the transport asked for by name cannot run here: a proxy
   *     told to use io_uring should say so and stop, not quietly run on something else
   */
  public static Chosen choose(Kind requested, String ioUringProblem, String epollProblem) {
    return switch (requested) {
      case NIO -> new Chosen(Kind.NIO, null);
      case IO_URING -> new Chosen(Kind.IO_URING, orFail(Kind.IO_URING, ioUringProblem));
      case EPOLL -> new Chosen(Kind.EPOLL, orFail(Kind.EPOLL, epollProblem));
      case AUTO -> epollProblem == null ? new Chosen(Kind.EPOLL, null)
          : new Chosen(Kind.NIO, "epoll unavailable: " + epollProblem);
    };
  }

  /**
   * What to try when {@code failed} passed its probe but could not start. Auto moves on to NIO; a
   * transport asked for by name does not.
   *
   * @param failure what starting {@code failed} threw, in words
   * @throws IllegalStateException when there is nothing left to try
   */
  public static Chosen afterFailure(Kind requested, Chosen failed, String failure) {
    if (requested != Kind.AUTO || failed.kind() == Kind.NIO) {
      throw new IllegalStateException("cannot start on transport " + failed.kind() + ": " + failure);
    }
    return new Chosen(Kind.NIO, failed.kind() + " failed to start: " + failure);
  }

  private static String orFail(Kind kind, String problem) {
    if (problem != null) {
      throw new IllegalStateException("transport " + kind + " is unavailable here: " + problem);
    }
    return null;
  }
}
