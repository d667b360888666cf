package io.hopwise.bench;

import io.hopwise.http.HeadLimits;
import io.hopwise.http.HeaderRules;
import io.hopwise.http.HttpVersion;
import io.hopwise.http.ParseOutcome;
import io.hopwise.http.RequestHead;
import io.hopwise.http.RequestHeadParser;
import java.util.function.IntToLongFunction;

/**
 * What {@link HeadAB} times in each build: {@code n} times, a request head parsed and (unless
 * the mode is "parse") the request rules applied, as {@link HeadBenchmark#parseAndRules} does.
 * Uses only the parser's and rules' public API, so that builds from other commits can run it.
 */
public final class HeadDriver implements IntToLongFunction {
  /** Where results go, so the JIT cannot drop the work. */
  public static volatile Object sink;

  private final byte[] head;
  private final boolean rules;
  private final RequestHeadParser parser = new RequestHeadParser(HeadLimits.DEFAULT);
  private final HeaderRules.RequestFacts facts =
      new HeaderRules.RequestFacts(HttpVersion.HTTP_1_1, "www.example.com", "hopwise");

  public HeadDriver(byte[] head, String mode) {
    this.head = head.clone();
    this.rules = !mode.equals("parse");
  }

  /** Runs {@code n} times and returns the nanoseconds taken. */
  @Override
  public long applyAsLong(int n) {
    long start = System.nanoTime();
    Object last = null;
    for (int i = 0; i < n; i++) {
      var parsed = (ParseOutcome.Parsed<RequestHead>) parser.parse(head, head.length);
      last = rules ? HeaderRules.request(parsed.head().fields(), facts) : parsed;
    }
    long took = System.nanoTime() - start;
    sink = last;
    return took;
  }
}
