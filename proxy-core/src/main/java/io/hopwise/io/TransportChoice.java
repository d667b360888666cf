package io.hopwise.io;

import java.util.Locale;

/**
 * Which socket transport to run on: pure policy, the transports' availability is passed in. Netty's
 * io_uring transport hands the kernel a turn's reads and writes in one system call, where epoll
 * makes one per read and per write; in bench/ab.sh that cost about a sixth less CPU per request
 * with the proxy alone under load (bench/README.md). {@code auto} takes the first the kernel allows:
 * io_uring, epoll, then Java NIO. The default seccomp profiles of Docker 25+ and containerd 2.0+
 * refuse io_uring, so in such containers auto is epoll.
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
      case AUTO -> ioUringProblem == null
          ? new Chosen(Kind.IO_URING, null)
          : after(Kind.IO_URING, "io_uring unavailable: " + ioUringProblem, epollProblem);
    };
  }

  /**
   * What to try when {@code failed} passed its probe but could not start (the probe is small: an
   * event loop's io_uring ring is larger, and a kernel can refuse that one, as 5.9-5.11 do past
   * RLIMIT_MEMLOCK). Auto moves on to the next transport; a transport asked for by name does not.
   *
   * @param failure what starting {@code failed} threw, in words
   * @throws IllegalStateException when there is nothing left to try
   */
  public static Chosen afterFailure(Kind requested, Chosen failed, String failure, String epollProblem) {
    if (requested != Kind.AUTO || failed.kind() == Kind.NIO) {
      throw new IllegalStateException("cannot start on transport " + failed.kind() + ": " + failure);
    }
    String why = (failed.fallback() == null ? "" : failed.fallback() + "; ")
        + failed.kind() + " failed to start: " + failure;
    return after(failed.kind(), why, epollProblem);
  }

  /** Auto's next transport after {@code passed}, which was passed over for {@code why}. */
  private static Chosen after(Kind passed, String why, String epollProblem) {
    if (passed == Kind.IO_URING && epollProblem == null) {
      return new Chosen(Kind.EPOLL, why);
    }
    return new Chosen(Kind.NIO, passed == Kind.IO_URING ? why + "; epoll unavailable: " + epollProblem : why);
  }

  private static String orFail(Kind kind, String problem) {
    if (problem != null) {
      throw new IllegalStateException("transport " + kind + " is unavailable here: " + problem);
    }
    return null;
  }
}
