package io.hopwise.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The pool's queue of waiters, with the clock passed in: no sleeps, no windows. */
class WaitQueueTest {
  private static final long MS = 1_000_000;

  // Each waiter times out on its own deadline, not the oldest one's (the old test asserted this
  // with wall-clock windows: "c waited its own 400 ms, not b's").
  @Test
  void eachWaiterExpiresOnItsOwnDeadline() {
    WaitQueue<String> q = new WaitQueue<>(400 * MS);
    q.add("b", 0);
    q.add("c", 200 * MS);
    assertEquals(400, q.nextDueMillis(0));
    assertEquals(List.of(), q.expire(399 * MS));
    assertEquals(List.of("b"), q.expire(400 * MS));
    assertEquals(200, q.nextDueMillis(400 * MS), "the timer is re-armed for c's own deadline");
    assertEquals(List.of(), q.expire(599 * MS));
    assertEquals(List.of("c"), q.expire(600 * MS));
    assertEquals(-1, q.nextDueMillis(600 * MS), "nothing left: no timer");
  }

  @Test
  void aLateTimerExpiresEveryoneDueOldestFirst() {
    WaitQueue<String> q = new WaitQueue<>(100 * MS);
    q.add("a", 0);
    q.add("b", 10 * MS);
    q.add("c", 500 * MS);
    assertEquals(List.of("a", "b"), q.expire(300 * MS));
    assertEquals(1, q.size());
  }

  @Test
  void aFreedConnectionGoesToTheOldestWaiter() {
    WaitQueue<String> q = new WaitQueue<>(100 * MS);
    q.add("first", 0);
    q.add("second", 1);
    assertEquals("first", q.poll());
    assertEquals("second", q.poll());
    assertNull(q.poll());
  }

  @Test
  void dueTimesRoundUpSoTheTimerNeverFiresEarly() {
    WaitQueue<String> q = new WaitQueue<>(400 * MS);
    q.add("a", 0);
    assertEquals(1, q.nextDueMillis(399 * MS + 1), "less than a millisecond left: 1 ms, not 0");
    assertEquals(List.of(), q.expire(399 * MS + 1));
  }

  @Test
  void shutdownTakesEveryWaiter() {
    WaitQueue<String> q = new WaitQueue<>(100 * MS);
    q.add("a", 0);
    q.add("b", 0);
    assertEquals(List.of("a", "b"), q.drain());
    assertEquals(0, q.size());
  }
}
