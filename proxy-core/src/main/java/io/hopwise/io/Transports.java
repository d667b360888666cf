package io.hopwise.io;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.transport.Transport;
import java.util.function.Function;

/** Finds out which transports this machine can run, and starts Vert.x on the chosen one. */
public final class Transports {
  /**
   * Netty 4.2.18's io_uring transport arms its read poll as a multishot POLL_ADD, which is
   * edge-triggered: a reset that lands before it is armed (an origin that writes a head and
   * resets at once) is never reported, and the exchange hangs (issue 22's soak, 23 of 25 resets;
   * PeerCloseOrderTest pins it). One-shot polls report it. Set before Netty's IoUring class
   * loads, which the probes below do; a value the user set wins.
   */
  static final String IO_URING_MULTISHOT_POLL = "io.netty.iouring.pollAddMultishotEnabled";

  static {
    if (System.getProperty(IO_URING_MULTISHOT_POLL) == null) {
      System.setProperty(IO_URING_MULTISHOT_POLL, "false");
    }
  }

  private Transports() {}

  /** Vert.x, and the transport it runs on (with auto's reason for passing epoll over). */
  public record Started(Vertx vertx, TransportChoice.Chosen transport) {}

  /**
   * Starts Vert.x on the transport {@link TransportChoice} picks for this machine; if that one fails
   * to start, auto tries the next.
   *
   * @throws IllegalStateException when the transport asked for by name cannot run or start here
   */
  public static Started start(VertxOptions options, TransportChoice.Kind requested) {
    return start(requested, kind -> build(options, kind));
  }

  /**
   * The transport {@link #start} would try first on this machine, from the probes alone: what
   * {@code --check-config} reports. Starting can still fail where the probe passed (see
   * {@link TransportChoice#afterFailure}).
   *
   * @throws IllegalStateException when the transport asked for by name cannot run here
   */
  public static TransportChoice.Chosen probe(TransportChoice.Kind requested) {
    return TransportChoice.choose(requested, problem(Transport.IO_URING), problem(Transport.EPOLL));
  }

  /**
   * As {@link #start(VertxOptions, TransportChoice.Kind)}, with what builds Vert.x on one transport
   * given (tests make it fail).
   */
  static Started start(TransportChoice.Kind requested, Function<TransportChoice.Kind, Vertx> build) {
    TransportChoice.Chosen chosen = probe(requested);
    while (true) {
      try {
        return new Started(build.apply(chosen.kind()), chosen);
      } catch (RuntimeException e) {
        chosen = TransportChoice.afterFailure(requested, chosen, describe(e));
      }
    }
  }

  /** The transport {@code vertx} runs on: "epoll", "io_uring" or "nio". */
  public static String nameOf(Vertx vertx) {
    Class<?> running = ((VertxInternal) vertx).transport().getClass();
    Transport epoll = Transport.EPOLL;
    Transport uring = Transport.IO_URING;
    if (epoll != null && running == epoll.implementation().getClass()) {
      return "epoll";
    }
    if (uring != null && running == uring.implementation().getClass()) {
      return "io_uring";
    }
    return "nio";
  }

  /**
   * Vert.x on exactly {@code kind}. Vert.x quietly runs NIO when a native transport is unavailable,
   * so what it runs is checked: anything else is a failure to start.
   */
  private static Vertx build(VertxOptions options, TransportChoice.Kind kind) {
    Transport transport = switch (kind) {
      case IO_URING -> Transport.IO_URING;
      case EPOLL -> Transport.EPOLL;
      case NIO -> Transport.NIO;
      case AUTO -> throw new IllegalArgumentException("choose a transport first");
    };
    Vertx vertx = Vertx.builder().with(options).withTransport(transport).build();
    if (((VertxInternal) vertx).transport().getClass() != transport.implementation().getClass()) {
      vertx.close();
      throw new IllegalStateException("Vert.x started on another transport");
    }
    return vertx;
  }

  /**
   * Why {@code t} cannot run here, or null when it can. A null transport is one whose Netty classes
   * are not on the class path; an unavailable one carries the native library's or the kernel's
   * refusal (io_uring_setup denied by seccomp, an old kernel, io_uring_disabled set).
   */
  static String problem(Transport t) {
    if (t == null) {
      return "its Netty module is not on the class path";
    }
    if (t.available()) {
      return null;
    }
    return t.unavailabilityCause() == null ? "unavailable" : describe(t.unavailabilityCause());
  }

  /** A throwable's message, and its root cause's when that says something more. */
  static String describe(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String top = e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    String bottom = root.getMessage();
    return root == e || bottom == null || top.contains(bottom) ? top : top + " (" + bottom + ")";
  }
}
