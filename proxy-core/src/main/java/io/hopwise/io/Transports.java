package io.hopwise.io;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.transport.Transport;

/** Finds out which transports this machine can run, and starts Vert.x on the chosen one. */
public final class Transports {
  private Transports() {}

  /** Chooses as {@link TransportChoice#choose} does, with this machine's availability. */
  public static TransportChoice.Chosen choose(TransportChoice.Kind requested) {
    return TransportChoice.choose(requested, problem(Transport.IO_URING), problem(Transport.EPOLL));
  }

  /** Vert.x on {@code chosen} (never AUTO). */
  public static Vertx vertx(VertxOptions options, TransportChoice.Chosen chosen) {
    Transport transport = switch (chosen.kind()) {
      case IO_URING -> Transport.IO_URING;
      case EPOLL -> Transport.EPOLL;
      case NIO -> Transport.NIO;
      case AUTO -> throw new IllegalArgumentException("choose a transport first");
    };
    return Vertx.builder().with(options).withTransport(transport).build();
  }

  /**
   * Why {@code t} cannot run here, or null when it can. Null transports are ones whose Netty
   * classes are not on the class path; an unavailable one carries the native library's or the
   * kernel's refusal (io_uring_setup denied by seccomp, an old kernel, io_uring_disabled set).
   */
  private static String problem(Transport t) {
    if (t == null) {
      return "its Netty module is not on the class path";
    }
    if (t.available()) {
      return null;
    }
    Throwable cause = t.unavailabilityCause();
    if (cause == null) {
      return "unavailable";
    }
    while (cause.getCause() != null && cause.getMessage() == null) {
      cause = cause.getCause();
    }
    return cause.getMessage() != null ? cause.getMessage() : cause.getClass().getSimpleName();
  }
}
