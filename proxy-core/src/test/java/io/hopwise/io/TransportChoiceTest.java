package io.hopwise.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.hopwise.io.TransportChoice.Chosen;
import io.hopwise.io.TransportChoice.Kind;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class TransportChoiceTest {
  private static final String DENIED = "io_uring_setup: Operation not permitted";
  private static final String NO_EPOLL = "no native library";

  @ParameterizedTest(name = "{0} with io_uring problem {1}, epoll problem {2}")
  @MethodSource
  void chooses(Kind requested, String ioUringProblem, String epollProblem, Chosen expected) {
    assertEquals(expected, TransportChoice.choose(requested, ioUringProblem, epollProblem));
  }

  static Stream<Arguments> chooses() {
    return Stream.of(
        // Issue 22: auto never picks io_uring (see TransportChoice), even where it could run.
        Arguments.of(Kind.AUTO, null, null, new Chosen(Kind.EPOLL, null)),
        Arguments.of(Kind.AUTO, DENIED, null, new Chosen(Kind.EPOLL, null)),
        Arguments.of(Kind.AUTO, DENIED, NO_EPOLL, new Chosen(Kind.NIO, "epoll unavailable: " + NO_EPOLL)),
        Arguments.of(Kind.AUTO, null, NO_EPOLL, new Chosen(Kind.NIO, "epoll unavailable: " + NO_EPOLL)),
        Arguments.of(Kind.IO_URING, null, NO_EPOLL, new Chosen(Kind.IO_URING, null)),
        Arguments.of(Kind.EPOLL, DENIED, null, new Chosen(Kind.EPOLL, null)),
        Arguments.of(Kind.NIO, DENIED, NO_EPOLL, new Chosen(Kind.NIO, null)),
        Arguments.of(Kind.NIO, null, null, new Chosen(Kind.NIO, null)));
  }

  @Test
  void aTransportAskedForByNameThatCannotRunIsAnError() {
    IllegalStateException uring = assertThrows(IllegalStateException.class,
        () -> TransportChoice.choose(Kind.IO_URING, DENIED, null));
    assertEquals("transport io_uring is unavailable here: " + DENIED, uring.getMessage());
    IllegalStateException epoll = assertThrows(IllegalStateException.class,
        () -> TransportChoice.choose(Kind.EPOLL, null, NO_EPOLL));
    assertEquals("transport epoll is unavailable here: " + NO_EPOLL, epoll.getMessage());
  }

  @Test
  void autoMovesOnToNioWhenEpollFailsToStart() {
    assertEquals(new Chosen(Kind.NIO, "epoll failed to start: ENOMEM"),
        TransportChoice.afterFailure(Kind.AUTO, new Chosen(Kind.EPOLL, null), "ENOMEM"));
  }

  @Test
  void nothingIsTriedAfterANamedTransportOrNioFailsToStart() {
    for (Kind named : new Kind[] {Kind.IO_URING, Kind.EPOLL, Kind.NIO}) {
      IllegalStateException e = assertThrows(IllegalStateException.class,
          () -> TransportChoice.afterFailure(named, new Chosen(named, null), "ENOMEM"));
      assertEquals("cannot start on transport " + named + ": ENOMEM", e.getMessage());
    }
    IllegalStateException last = assertThrows(IllegalStateException.class,
        () -> TransportChoice.afterFailure(Kind.AUTO, new Chosen(Kind.NIO, "why"), "ENOMEM"));
    assertEquals("cannot start on transport nio: ENOMEM", last.getMessage());
  }

  @Test
  void namesParseAsWrittenAndOnlySo() {
    for (Kind k : Kind.values()) {
      assertEquals(k, Kind.parse(k.toString()));
    }
    assertEquals("io_uring", Kind.IO_URING.toString());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Kind.parse("IO_URING"));
    assertEquals("expected auto, io_uring, epoll or nio, got 'IO_URING'", e.getMessage());
  }
}
