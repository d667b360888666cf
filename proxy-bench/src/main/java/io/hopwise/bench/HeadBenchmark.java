package io.hopwise.bench;

import io.hopwise.http.HeadLimits;
import io.hopwise.http.HeaderRules;
import io.hopwise.http.HttpVersion;
import io.hopwise.http.ParseOutcome;
import io.hopwise.http.RequestHead;
import io.hopwise.http.RequestHeadParser;
import io.hopwise.http.RequestTarget;
import io.hopwise.http.ResponseHead;
import io.hopwise.http.ResponseHeadParser;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The per-request pure work: parsing a typical browser request head (15 fields, sent to a
 * proxy in absolute-form) and applying the hop-by-hop rules. Issue 7's target: under 1 µs for
 * both together. Run: {@code java -jar proxy-bench/target/benchmarks.jar -prof gc}.
 *
 * <p>The forks run with the collector options of {@code conf/jvm.options}, which the proxy runs
 * with: the serial collector's card mark is cheaper on every reference store than G1's barriers,
 * and a parser's fields are mostly stores. JMH's {@code -jvmArgs ""} gives the JVM's defaults.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 10, time = 500, timeUnit = TimeUnit.MILLISECONDS)
@Fork(value = 3, jvmArgs = {"-XX:+UseSerialGC", "-Xmn24m"})
public class HeadBenchmark {
  /** What Chromium sends through a proxy for a page, give or take. */
  static final byte[] BROWSER_REQUEST = ("GET http://www.example.com/articles/2026/11/proxies.html?ref=home HTTP/1.1\r\n"
      + "Host: www.example.com\r\n"
      + "Proxy-Connection: keep-alive\r\n"
      + "Upgrade-Insecure-Requests: 1\r\n"
      + "User-Agent: Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36\r\n"
      + "Accept: text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8\r\n"
      + "Referer: http://www.example.com/\r\n"
      + "Accept-Encoding: gzip, deflate\r\n"
      + "Accept-Language: en-GB,en;q=0.9\r\n"
      + "Cookie: session=4f8c2a9e1b7d; theme=dark; consent=yes\r\n"
      + "Cache-Control: max-age=0\r\n"
      + "DNT: 1\r\n"
      + "Sec-GPC: 1\r\n"
      + "If-None-Match: \"33a64df551425fcc55e4d42a148795d9f25f89d4\"\r\n"
      + "If-Modified-Since: Wed, 25 Nov 2026 10:00:00 GMT\r\n"
      + "Priority: u=0, i\r\n"
      + "\r\n").getBytes(StandardCharsets.ISO_8859_1);

  /** What nginx answers for a small static file. */
  static final byte[] ORIGIN_RESPONSE = ("HTTP/1.1 200 OK\r\n"
      + "Server: nginx/1.22.1\r\n"
      + "Date: Thu, 26 Nov 2026 18:00:00 GMT\r\n"
      + "Content-Type: text/html\r\n"
      + "Content-Length: 128\r\n"
      + "Last-Modified: Wed, 25 Nov 2026 10:00:00 GMT\r\n"
      + "Connection: keep-alive\r\n"
      + "ETag: \"6925d340-80\"\r\n"
      + "Accept-Ranges: bytes\r\n"
      + "\r\n").getBytes(StandardCharsets.ISO_8859_1);

  private final ResponseHeadParser responseParser = new ResponseHeadParser(16 * 1024, 100);
  private final RequestHeadParser parser = new RequestHeadParser(HeadLimits.DEFAULT);
  private final HeaderRules.RequestFacts facts =
      new HeaderRules.RequestFacts(HttpVersion.HTTP_1_1, "www.example.com", "hopwise");
  private RequestHead parsed;

  @org.openjdk.jmh.annotations.Setup
  public void setup() {
    parsed = ((ParseOutcome.Parsed<RequestHead>) parser.parse(BROWSER_REQUEST, BROWSER_REQUEST.length)).head();
  }

  @Benchmark
  public Object parse() {
    return parser.parse(BROWSER_REQUEST, BROWSER_REQUEST.length);
  }

  /**
   * The rules alone, on one head parsed in setup. Field values become strings only when read, so
   * after the first call the few the rules read are strings already: {@link #parseAndRules} is the
   * per-request figure.
   */
  @Benchmark
  public Object headerRules() {
    return HeaderRules.request(parsed.fields(), facts);
  }

  @Benchmark
  public Object parseAndRules() {
    var outcome = (ParseOutcome.Parsed<RequestHead>) parser.parse(BROWSER_REQUEST, BROWSER_REQUEST.length);
    return HeaderRules.request(outcome.head().fields(), facts);
  }

  /**
   * The first request of a connection: a new parser, which has no last section's names to guess
   * from (see {@code FieldOrder}). {@link #parseAndRules} is a later request on the same
   * connection, which a browser sends with the same names in the same order.
   */
  @Benchmark
  public Object parseAndRulesFirstOnConnection() {
    var fresh = new RequestHeadParser(HeadLimits.DEFAULT);
    var outcome = (ParseOutcome.Parsed<RequestHead>) fresh.parse(BROWSER_REQUEST, BROWSER_REQUEST.length);
    return HeaderRules.request(outcome.head().fields(), facts);
  }

  /**
   * About the worst case for the guess: every request's lines in another order than the last one's
   * (reversed), so 14 of the 15 guesses are wrong and cost a comparison before the usual lookup.
   */
  @Benchmark
  public Object parseAndRulesOrderChanged() {
    byte[] head = (flip = !flip) ? BROWSER_REQUEST : REORDERED_REQUEST;
    var outcome = (ParseOutcome.Parsed<RequestHead>) parser.parse(head, head.length);
    return HeaderRules.request(outcome.head().fields(), facts);
  }

  private boolean flip;

  /** {@link #BROWSER_REQUEST} with its field lines in reverse order. */
  static final io.hopwise.http.Via VIA = io.hopwise.http.Via.of("hopwise");
  static final byte[] REORDERED_REQUEST = HeadDriver.reversedFields(BROWSER_REQUEST);

  /** The response side of the same exchange: parse an origin's head and apply the rules. */
  @Benchmark
  public Object responseParseAndRules() {
    var outcome = (ParseOutcome.Parsed<ResponseHead>) responseParser.parse(ORIGIN_RESPONSE, ORIGIN_RESPONSE.length, "GET");
    return HeaderRules.response(outcome.head().fields(), HttpVersion.HTTP_1_1, VIA);
  }

  /**
   * What an exchange does with the target: parse it and make the Host value, first as a new
   * connection does, then as a keep-alive connection does with its memo of the last origin.
   */
  @Benchmark
  public Object target() {
    var absolute = (RequestTarget.Absolute) RequestTarget.parse("GET", TARGET).target();
    return absolute.origin().hostField();
  }

  @Benchmark
  public Object targetRemembered() {
    var absolute = (RequestTarget.Absolute) targets.parse("GET", TARGET).target();
    return absolute.origin().hostField();
  }

  static final String TARGET = "http://www.example.com:8080/articles/2026/11/proxies.html?ref=home";
  private final RequestTarget.Memo targets = new RequestTarget.Memo();
}
