package io.hopwise.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Real Vert.x timers on a real event loop; times are generous lower bounds, never upper ones. */
class DeadlineTest {
  private final Vertx vertx = Vertx.vertx();
  /** One context, so every call and every timer runs on the same event loop. */
  private final Context context = vertx.getOrCreateContext();
  private final AtomicInteger expired = new AtomicInteger();
  private final AtomicLong expiredAt = new AtomicLong();

  @AfterEach
  void close() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  /** Runs {@code action} on an event loop (Deadline is event-loop confined) and waits for it. */
  private Deadline onLoop(Consumer<Deadline> action, Deadline existing) throws Exception {
    CompletableFuture<Deadline> done = new CompletableFuture<>();
    context.runOnContext(v -> {
      Deadline d = existing != null ? existing : new Deadline(vertx, () -> {
        expiredAt.set(System.nanoTime());
        expired.incrementAndGet();
      });
      action.accept(d);
      done.complete(d);
    });
    return done.get(10, TimeUnit.SECONDS);
  }

  private static void sleep(long millis) throws InterruptedException {
    Thread.sleep(millis);
  }

  @Test
  void expiresOnceAfterTheDelay() throws Exception {
    long start = System.nanoTime();
    onLoop(d -> d.arm(100), null);
    sleep(600);
    assertEquals(1, expired.get());
    assertTrue(expiredAt.get() - start >= TimeUnit.MILLISECONDS.toNanos(100), "not before its time");
  }

  @Test
  void disarmedNeverExpires() throws Exception {
    Deadline d = onLoop(x -> x.arm(100), null);
    onLoop(Deadline::disarm, d);
    sleep(500);
    assertEquals(0, expired.get());
    assertFalse(d.isArmed());
  }

  @Test
  void pushedBackExpiresAtTheLaterDeadlineNotTheFirstTimer() throws Exception {
    Deadline d = onLoop(x -> x.arm(150), null);
    sleep(100);
    long rearmedAt = System.nanoTime();
    onLoop(x -> x.arm(300), d); // the first timer fires at 150 ms and must set itself again
    sleep(150);
    assertEquals(0, expired.get(), "the first timer found the deadline pushed back");
    sleep(800);
    assertEquals(1, expired.get());
    assertTrue(expiredAt.get() - rearmedAt >= TimeUnit.MILLISECONDS.toNanos(300), "at the later deadline");
  }

  @Test
  void anEarlierDeadlineReplacesALaterTimer() throws Exception {
    long start = System.nanoTime();
    Deadline d = onLoop(x -> x.arm(60_000), null);
    onLoop(x -> x.arm(100), d);
    sleep(700);
    assertEquals(1, expired.get(), "did not wait for the 60 s timer");
    assertTrue(expiredAt.get() - start >= TimeUnit.MILLISECONDS.toNanos(100));
  }

  @Test
  void disarmThenArmAgainExpiresOnce() throws Exception {
    Deadline d = onLoop(x -> x.arm(100), null);
    onLoop(Deadline::disarm, d);
    onLoop(x -> x.arm(150), d);
    sleep(800);
    assertEquals(1, expired.get());
  }

  @Test
  void cancelledNeverExpiresAndCanBeArmedAgain() throws Exception {
    Deadline d = onLoop(x -> x.arm(100), null);
    onLoop(Deadline::cancel, d);
    sleep(400);
    assertEquals(0, expired.get());
    onLoop(x -> x.arm(50), d);
    sleep(500);
    assertEquals(1, expired.get());
  }

  /** Makes {@code d}'s sibling on the loop, recording its expiry in {@code into}. */
  private Deadline sibling(Deadline d, java.util.List<String> into, String name) throws Exception {
    CompletableFuture<Deadline> done = new CompletableFuture<>();
    context.runOnContext(v -> done.complete(d.sibling(() -> into.add(name + "@" + System.nanoTime()))));
    return done.get(10, TimeUnit.SECONDS);
  }

  @Test
  void siblingsShareOneTimerAndEachExpiresAtItsOwnTime() throws Exception {
    java.util.List<String> order = new java.util.concurrent.CopyOnWriteArrayList<>();
    long start = System.nanoTime();
    Deadline first = onLoop(x -> x.arm(60_000), null);
    Deadline soon = sibling(first, order, "soon");
    Deadline later = sibling(first, order, "later");
    onLoop(x -> soon.arm(100), first); // earlier than the shared timer: replaces it
    onLoop(x -> later.arm(300), first); // later than it: only recorded, the timer sets itself again
    sleep(1000);
    assertEquals(2, order.size(), order.toString());
    assertTrue(order.get(0).startsWith("soon@") && order.get(1).startsWith("later@"), order.toString());
    long laterAt = Long.parseLong(order.get(1).substring("later@".length()));
    assertTrue(laterAt - start >= TimeUnit.MILLISECONDS.toNanos(300), "later not before its time");
    assertEquals(0, expired.get(), "the 60 s deadline has not expired");
    assertTrue(first.isArmed());
  }

  @Test
  void cancellingOneSiblingKeepsTheOthersExpiry() throws Exception {
    java.util.List<String> order = new java.util.concurrent.CopyOnWriteArrayList<>();
    Deadline first = onLoop(x -> x.arm(100), null);
    Deadline other = sibling(first, order, "other");
    onLoop(x -> other.arm(200), first);
    onLoop(Deadline::cancel, first); // the owner's other timeout is still armed: the timer stays
    sleep(800);
    assertEquals(0, expired.get());
    assertEquals(1, order.size(), order.toString());
  }

  /** The expiry runs on the context the deadline was made on, as a Vert.x timer's would. */
  @Test
  void expiresOnTheContextItWasMadeOn() throws Exception {
    CompletableFuture<io.vertx.core.Context> seen = new CompletableFuture<>();
    CompletableFuture<Void> armed = new CompletableFuture<>();
    context.runOnContext(v -> {
      new Deadline(vertx, () -> seen.complete(Vertx.currentContext())).arm(20);
      armed.complete(null);
    });
    armed.get(10, TimeUnit.SECONDS);
    assertEquals(context, seen.get(10, TimeUnit.SECONDS));
  }

  /**
   * A sibling whose expiry arms it again, later than another sibling still waiting: the timer is
   * set for the earlier of the two, not for the one just armed.
   */
  @Test
  void aSiblingReArmedOnExpiryDoesNotDelayAnEarlierOne() throws Exception {
    long start = System.nanoTime();
    Deadline first = onLoop(x -> x.arm(300), null);
    CompletableFuture<Deadline> made = new CompletableFuture<>();
    context.runOnContext(v -> {
      Deadline[] self = new Deadline[1];
      self[0] = first.sibling(() -> self[0].arm(5_000)); // expires, and waits again
      self[0].arm(100);
      made.complete(self[0]);
    });
    made.get(10, TimeUnit.SECONDS);
    sleep(1500);
    assertEquals(1, expired.get(), "the 300 ms deadline expired, not held back to the re-armed sibling's 5 s");
    assertTrue(expiredAt.get() - start < TimeUnit.MILLISECONDS.toNanos(1500));
  }
}
