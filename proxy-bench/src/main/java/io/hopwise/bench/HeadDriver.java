package io.hopwise.bench;

import io.hopwise.http.HeadLimits;
import io.hopwise.http.HeaderRules;
import io.hopwise.http.HttpVersion;
import io.hopwise.http.ParseOutcome;
import io.hopwise.http.RequestHead;
import io.hopwise.http.RequestHeadParser;
import java.nio.charset.StandardCharsets;
import java.util.function.IntToLongFunction;

/**
 * What {@link HeadAB} times in each build: {@code n} times, a request head parsed and (unless
 * the mode is "parse") the request rules applied, as {@link HeadBenchmark#parseAndRules} does;
 * in mode "orderChanged", as {@link HeadBenchmark#parseAndRulesOrderChanged} does.
 * Uses only the parser's and rules' public API, so that builds from other commits can run it.
 */
public final class HeadDriver implements IntToLongFunction {
  /** Where results go, so the JIT cannot drop the work. */
  public static volatile Object sink;

  private final byte[] head;
  /** In mode "orderChanged", every other call parses this instead: the same lines reversed. */
  private final byte[] other;
  private final boolean rules;
  private final RequestHeadParser parser = new RequestHeadParser(HeadLimits.DEFAULT);
  private final HeaderRules.RequestFacts facts =
      new HeaderRules.RequestFacts(HttpVersion.HTTP_1_1, "www.example.com", "hopwise");

  public HeadDriver(byte[] head, String mode) {
    if (!mode.equals("parse") && !mode.equals("parseAndRules") && !mode.equals("orderChanged")) {
      throw new IllegalArgumentException("mode must be parseAndRules, parse or orderChanged: " + mode);
    }
    this.head = head.clone();
    this.other = mode.equals("orderChanged") ? reversedFields(head) : this.head;
    this.rules = !mode.equals("parse");
  }

  /**
   * A head with its field lines in reverse order: a parser that guesses each line's name from the
   * last head on its connection then guesses nearly every line wrong (14 of the browser head's 15).
   */
  public static byte[] reversedFields(byte[] head) {
    String[] lines = new String(head, StandardCharsets.ISO_8859_1).split("\r\n");
    StringBuilder sb = new StringBuilder(lines[0]).append("\r\n");
    for (int i = lines.length - 1; i > 0; i--) {
      sb.append(lines[i]).append("\r\n");
    }
    return sb.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1);
  }

  /** Runs {@code n} times and returns the nanoseconds taken. */
  @Override
  public long applyAsLong(int n) {
    long start = System.nanoTime();
    Object last = null;
    for (int i = 0; i < n; i++) {
      byte[] b = (i & 1) == 0 ? head : other;
      var parsed = (ParseOutcome.Parsed<RequestHead>) parser.parse(b, b.length);
      last = rules ? HeaderRules.request(parsed.head().fields(), facts) : parsed;
    }
    long took = System.nanoTime() - start;
    sink = last;
    return took;
  }
}
