package io.hopwise.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.hopwise.http.KeepAlive;
import io.hopwise.policy.PoolPolicy.Budget;
import io.hopwise.policy.PoolPolicy.WithoutIdle;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The upstream pool's decisions as tables, the clock passed in (http-rules C4; RFC 9112 9.3). */
class PoolPolicyTest {
  private static final long MS = 1_000_000;
  /** 2 per origin, 3 waiting, pipelining depth 4, 10 s lifetime, 30 s idle. */
  private static final PoolPolicy POLICY = new PoolPolicy(2, 3, 4, 10_000 * MS, 30_000);
  private static final PoolPolicy NO_PIPELINING = new PoolPolicy(2, 3, 1, 10_000 * MS, 30_000);

  static Stream<Arguments> withoutIdle() {
    return Stream.of(
        Arguments.of("under the limit: connect", POLICY, 1, 0, false, false, WithoutIdle.CONNECT),
        Arguments.of("a retry under the limit: connect", POLICY, 1, 0, true, true, WithoutIdle.CONNECT),
        Arguments.of("at the limit, pipelinable: try a busy connection", POLICY, 2, 0, false, true, WithoutIdle.TRY_PIPELINING),
        Arguments.of("at the limit, not pipelinable: wait", POLICY, 2, 0, false, false, WithoutIdle.WAIT),
        Arguments.of("at the limit, a retry never pipelines (it needs a fresh connection)", POLICY, 2, 0, true, true, WithoutIdle.WAIT),
        Arguments.of("at the limit, pipelining off: wait", NO_PIPELINING, 2, 2, false, true, WithoutIdle.WAIT),
        Arguments.of("at the limit, the queue full: refuse", POLICY, 2, 3, false, false, WithoutIdle.REFUSE));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("withoutIdle")
  void whatToDoWithoutAnIdleConnection(String name, PoolPolicy policy, int open, int waiting, boolean fresh,
      boolean pipelinable, WithoutIdle expected) {
    assertEquals(expected, policy.withoutIdle(open, waiting, fresh, pipelinable));
  }

  @Test
  void aConnectionIsReusedOnlyWithinItsLifetime() {
    long created = 5_000 * MS;
    assertEquals(true, POLICY.withinLifetime(created, created + 9_999 * MS));
    assertEquals(false, POLICY.withinLifetime(created, created + 10_000 * MS));
  }

  static Stream<Arguments> budgets() {
    return Stream.of(
        Arguments.of("no Keep-Alive field: unlimited stays unlimited", Budget.UNLIMITED, KeepAlive.NONE, Budget.UNLIMITED),
        Arguments.of("max=M: M more requests", Budget.UNLIMITED, new KeepAlive(-1, 5), new Budget(5, Long.MAX_VALUE)),
        Arguments.of("a known budget counts down without a new max", new Budget(5, Long.MAX_VALUE), KeepAlive.NONE,
            new Budget(4, Long.MAX_VALUE)),
        Arguments.of("timeout=N: idle at most N s minus 1 s of margin", Budget.UNLIMITED, new KeepAlive(5, -1),
            new Budget(Long.MAX_VALUE, 4_000)),
        Arguments.of("timeout=1: no idle time left, never pooled", Budget.UNLIMITED, new KeepAlive(1, -1),
            new Budget(Long.MAX_VALUE, 0)),
        Arguments.of("both", Budget.UNLIMITED, new KeepAlive(15, 100), new Budget(100, 14_000)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("budgets")
  void keepAliveParametersSetTheBudget(String name, Budget before, KeepAlive ka, Budget expected) {
    assertEquals(expected, before.after(ka));
  }

  @Test
  void anIdleConnectionIsKeptForTheShorterOfOursAndTheUpstreamsLimit() {
    assertEquals(30_000, POLICY.idleMillis(Budget.UNLIMITED));
    assertEquals(4_000, POLICY.idleMillis(new Budget(10, 4_000)));
  }

  static Stream<Arguments> pipelining() {
    return Stream.of(
        Arguments.of("an idle connection is not a pipelining candidate", 0, true, Budget.UNLIMITED, false),
        Arguments.of("behind one complete idempotent request", 1, true, Budget.UNLIMITED, true),
        Arguments.of("behind a request still being written, or not idempotent", 1, false, Budget.UNLIMITED, false),
        Arguments.of("the depth reached", 4, true, Budget.UNLIMITED, false),
        Arguments.of("the upstream's budget would be exceeded", 2, true, new Budget(2, Long.MAX_VALUE), false),
        Arguments.of("within the upstream's budget", 2, true, new Budget(3, Long.MAX_VALUE), true));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("pipelining")
  void oneMoreRequestOnABusyConnection(String name, int inFlight, boolean allPipelinableAndWritten, Budget budget,
      boolean expected) {
    assertEquals(expected, POLICY.canPipeline(inFlight, allPipelinableAndWritten, budget));
  }
}
