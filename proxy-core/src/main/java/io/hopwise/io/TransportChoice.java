package io.hopwise.io;

import java.util.Locale;

/**
 * Which socket transport to run on: pure policy, the transports' availability is passed in. Netty's
 * io_uring transport hands the kernel a turn's reads and writes in one system call, where epoll
 * makes one per read and per write; on this project's benchmark that cost about a sixth less CPU
 * per request (bench/README.md). {@code auto} takes the first the kernel allows: io_uring, epoll,
 * then Java NIO. Container runtimes' default seccomp profiles block io_uring, so there auto is epoll.
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
      case AUTO -> {
        if (ioUringProblem == null) {
          yield new Chosen(Kind.IO_URING, null);
        }
        String why = "io_uring unavailable: " + ioUringProblem;
        if (epollProblem == null) {
          yield new Chosen(Kind.EPOLL, why);
        }
        yield new Chosen(Kind.NIO, why + "; epoll unavailable: " + epollProblem);
      }
    };
  }

  private static String orFail(Kind kind, String problem) {
    if (problem != null) {
      throw new IllegalStateException("transport " + kind + " is unavailable here: " + problem);
    }
    return null;
  }
}
