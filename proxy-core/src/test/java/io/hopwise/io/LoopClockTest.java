package io.hopwise.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

class LoopClockTest {

  /** Sleeps long enough that a live clock reading would differ from a kept one. */
  private static void pause() {
    LockSupport.parkNanos(2_000_000);
  }

  @Test
  void outsideAReadItIsTheClock() {
    long before = System.nanoTime();
    long t = LoopClock.nanoTime();
    pause();
    long u = LoopClock.nanoTime();
    assertTrue(t - before >= 0, "not earlier than a reading taken before it");
    assertTrue(u - t >= 2_000_000, "it moves with the clock: " + (u - t) + " ns");
  }

  @Test
  void withinAReadItKeepsTheReadingFromTheReadsStart() {
    long before = System.nanoTime();
    LoopClock.readStarted();
    try {
      long t = LoopClock.nanoTime();
      pause();
      assertEquals(t, LoopClock.nanoTime(), "the same reading for the whole read");
      assertTrue(t - before >= 0);
    } finally {
      LoopClock.readEnded();
    }
    long after = LoopClock.nanoTime();
    pause();
    assertTrue(LoopClock.nanoTime() - after >= 2_000_000, "live again after the read");
  }

  @Test
  void aNestedReadTakesANewReadingThatLastsUntilTheOuterReadEnds() {
    LoopClock.readStarted();
    try {
      long outer = LoopClock.nanoTime();
      pause();
      LoopClock.readStarted();
      long inner = LoopClock.nanoTime();
      LoopClock.readEnded();
      assertTrue(inner - outer >= 2_000_000, "the nested read read the clock again");
      pause();
      assertEquals(inner, LoopClock.nanoTime(), "still within the outer read");
    } finally {
      LoopClock.readEnded();
    }
    long after = LoopClock.nanoTime();
    pause();
    assertTrue(LoopClock.nanoTime() - after >= 2_000_000);
  }

  @Test
  void eachThreadHasItsOwn() throws Exception {
    LoopClock.readStarted();
    try {
      long[] seen = new long[2];
      Thread other = new Thread(() -> {
        seen[0] = LoopClock.nanoTime();
        pause();
        seen[1] = LoopClock.nanoTime();
      });
      other.start();
      other.join(5_000);
      assertTrue(seen[1] - seen[0] >= 2_000_000, "another thread, not in a read, sees the live clock");
    } finally {
      LoopClock.readEnded();
    }
  }

  @Test
  void anUnmatchedEndIsHarmless() {
    LoopClock.readEnded();
    long t = LoopClock.nanoTime();
    pause();
    assertTrue(LoopClock.nanoTime() - t >= 2_000_000);
  }
}
