package io.hopwise.bench;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An open-loop, constant-rate HTTP/1.1 load generator (issue 28, target 3: latency added at a steady
 * rate), in the manner of wrk2: {@code connections} keep-alive connections, a thread each, with a
 * fixed schedule. Request {@code k} of connection {@code c} is <em>due</em> at
 * {@code t0 + (k * connections + c) / rate}, so that together the connections send one request every
 * {@code 1 / rate} seconds. A thread parks until its next request is due, sends it, reads the whole
 * response and records the time from when the request was <em>due</em> to when its response was
 * complete.
 *
 * <p>That is the correction for coordinated omission: a closed-loop client (wrk) waits for each
 * response before it sends the next request, so while a server stalls it sends nothing, and the
 * stall shows up in one sample only. Here a connection that is behind its schedule sends at once,
 * and each of its late requests counts the time it spent waiting to be sent: a 10 ms stall at 1,000
 * requests per second shows up in the 10 requests that should have gone out during it. A request that
 * still cannot be sent 5 s after the measured period (or that fails) is an error, not a sample.
 *
 * <p>Requests due in the first {@code --warmup} are sent but not recorded. Every latency of the
 * measured period is kept (a {@code long[]} per connection) and the percentiles are exact (nearest
 * rank over all of them, sorted). Loopback only: {@code --connect} must be in 127.0.0.0/8 or ::1.
 * Prints one line:
 *
 * <pre>RATE_RESULT target_rps=.. achieved_rps=.. requests=.. errors=.. p50_us=.. p99_us=.. p999_us=.. max_us=..</pre>
 *
 * <pre>java -cp proxy-bench/target/benchmarks.jar io.hopwise.bench.RateLoad --connect 127.0.0.1:3128 \
 *     --target http://127.0.0.1:8080/small --rate 5000 --duration 10s --warmup 2s --connections 50</pre>
 *
 * Exit status: 0 done; 1 no response at all, or the hard deadline (warm-up + duration + 10 s) was
 * reached (the line is printed anyway); 2 bad arguments.
 */
public final class RateLoad {
  private RateLoad() {}

  /** From the threads' start to the first request due: time for every connection to open. */
  static final long START_DELAY_NANOS = 300_000_000L;
  /** How long after the measured period a connection behind schedule may still send. */
  static final long DRAIN_NANOS = 5_000_000_000L;
  /** The program ends at the latest this long after warm-up + duration. */
  static final long HARD_MARGIN_NANOS = 10_000_000_000L;
  /** At most this many latencies are kept (8 bytes each). */
  static final long MAX_SAMPLES = 20_000_000L;

  static final int MAX_LINE = 8192;
  static final int MAX_HEADER_LINES = 200;

  /** The parsed command line. Durations in nanoseconds. */
  record Config(
      String connectHost,
      int connectPort,
      String target,
      String host,
      double rate,
      long durationNanos,
      long warmupNanos,
      int connections,
      long timeoutNanos,
      String timeline,
      boolean tunnel) {

    byte[] request() {
      if (tunnel) {
        // A new tunnel per request, as a browser's short HTTPS connections: CONNECT to the target's
        // authority, then one request through it that asks the origin to close.
        String authority = target.substring("http://".length()).split("/", 2)[0];
        String path = target.substring("http://".length() + authority.length());
        return ("CONNECT " + authority + " HTTP/1.1\r\nHost: " + authority + "\r\n\r\n"
            + "GET " + (path.isEmpty() ? "/" : path) + " HTTP/1.1\r\nHost: " + authority
            + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);
      }
      return ("GET " + target + " HTTP/1.1\r\nHost: " + host + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);
    }

    /** Room for every request of the measured period one connection can have. */
    int samplesPerConnection() {
      double perConnection = rate * (durationNanos / 1e9) / connections;
      return (int) Math.ceil(perConnection) + 2;
    }
  }

  // ------------------------------------------------------------------ arguments

  static final String USAGE = "usage: RateLoad --connect 127.0.0.1:PORT --target /path|http://127.0.0.1:PORT/path"
      + " [--host HOST:PORT] --rate REQ_PER_S [--duration 10s] [--warmup 2s] [--connections 50] [--timeout 5s]"
      + " [--timeline FILE] [--tunnel]";

  private static final Pattern IPV4 = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");
  private static final Pattern DURATION = Pattern.compile("(\\d{1,9})(ms|s|m)?");

  /** Parses the command line; throws IllegalArgumentException with a one-line message. */
  static Config parse(String[] args) {
    String connect = null;
    String target = null;
    String host = null;
    String rate = null;
    String duration = "10s";
    String warmup = "2s";
    String connections = "50";
    String timeout = "5s";
    String timeline = null;
    boolean tunnel = false;
    for (int i = 0; i < args.length; i++) {
      String name = args[i];
      if (name.equals("--tunnel")) {
        tunnel = true;
        continue;
      }
      String value;
      int eq = name.indexOf('=');
      if (name.startsWith("--") && eq > 0) {
        value = name.substring(eq + 1);
        name = name.substring(0, eq);
      } else {
        if (i + 1 >= args.length) {
          throw new IllegalArgumentException(name.startsWith("--") ? name + " needs a value" : "unexpected argument '" + name + "'; " + USAGE);
        }
        value = args[++i];
      }
      switch (name) {
        case "--connect" -> connect = value;
        case "--target" -> target = value;
        case "--host" -> host = value;
        case "--rate" -> rate = value;
        case "--duration" -> duration = value;
        case "--warmup" -> warmup = value;
        case "--connections" -> connections = value;
        case "--timeout" -> timeout = value;
        case "--timeline" -> timeline = value;
        default -> throw new IllegalArgumentException("unknown option '" + name + "'; " + USAGE);
      }
    }
    if (connect == null || target == null || rate == null) {
      throw new IllegalArgumentException("--connect, --target and --rate are required; " + USAGE);
    }
    HostPort to = hostPort(connect, "--connect");
    requireLoopback(to.host(), "--connect", connect);

    if (target.isEmpty() || hasSpaceOrControl(target)) {
      throw new IllegalArgumentException("--target must be a path or an http:// URL without spaces: '" + target + "'");
    }
    String defaultHost;
    if (target.startsWith("/")) {
      defaultHost = connect;
    } else if (target.regionMatches(true, 0, "http://", 0, 7)) {
      String rest = target.substring(7);
      int slash = rest.indexOf('/');
      String authority = slash < 0 ? rest : rest.substring(0, slash);
      // the port may be left out (80)
      boolean hasPort = authority.startsWith("[") ? authority.contains("]:") : authority.indexOf(':') >= 0;
      HostPort origin = hostPort(hasPort ? authority : authority + ":80", "--target");
      requireLoopback(origin.host(), "--target", target);
      defaultHost = authority;
    } else {
      throw new IllegalArgumentException("--target must start with / or http:// : '" + target + "'");
    }
    if (host == null) {
      host = defaultHost;
    } else if (host.isEmpty() || hasSpaceOrControl(host)) {
      throw new IllegalArgumentException("--host must be non-empty, without spaces: '" + host + "'");
    }

    double r;
    try {
      r = Double.parseDouble(rate);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--rate must be a number of requests per second: '" + rate + "'");
    }
    if (!(r > 0) || r > 1_000_000 || Double.isNaN(r)) {
      throw new IllegalArgumentException("--rate must be > 0 and <= 1000000: '" + rate + "'");
    }
    long d = parseDuration(duration, "--duration");
    long w = parseDuration(warmup, "--warmup");
    long t = parseDuration(timeout, "--timeout");
    if (d <= 0 || d > 3_600_000_000_000L) {
      throw new IllegalArgumentException("--duration must be > 0 and <= 1h: '" + duration + "'");
    }
    if (w > 600_000_000_000L) {
      throw new IllegalArgumentException("--warmup must be <= 10m: '" + warmup + "'");
    }
    if (t < 1_000_000L || t > 60_000_000_000L) {
      throw new IllegalArgumentException("--timeout must be 1ms..60s: '" + timeout + "'");
    }
    int c;
    try {
      c = Integer.parseInt(connections);
    } catch (NumberFormatException e) {
      c = -1;
    }
    if (c < 1 || c > 1000) {
      throw new IllegalArgumentException("--connections must be an integer in 1..1000: '" + connections + "'");
    }
    if (r * (d / 1e9) > MAX_SAMPLES) {
      throw new IllegalArgumentException("--rate x --duration must be <= " + MAX_SAMPLES + " requests (every latency is kept)");
    }
    if (timeline != null && timeline.isEmpty()) {
      throw new IllegalArgumentException("--timeline needs a file name");
    }
    if (tunnel && !target.startsWith("http://")) {
      throw new IllegalArgumentException("--tunnel needs an http:// --target: where the tunnel goes");
    }
    return new Config(to.host(), to.port(), target, host, r, d, w, c, t, timeline, tunnel);
  }

  record HostPort(String host, int port) {}

  /** HOST:PORT or [IPv6]:PORT. */
  static HostPort hostPort(String s, String what) {
    String h;
    String p;
    if (s.startsWith("[")) {
      int close = s.indexOf(']');
      if (close < 0 || close + 1 >= s.length() || s.charAt(close + 1) != ':') {
        throw new IllegalArgumentException(what + " must be HOST:PORT or [IPv6]:PORT: '" + s + "'");
      }
      h = s.substring(1, close);
      p = s.substring(close + 2);
    } else {
      int colon = s.lastIndexOf(':');
      if (colon <= 0 || s.indexOf(':') != colon) {
        throw new IllegalArgumentException(what + " must be HOST:PORT or [IPv6]:PORT: '" + s + "'");
      }
      h = s.substring(0, colon);
      p = s.substring(colon + 1);
    }
    int port;
    try {
      port = Integer.parseInt(p);
    } catch (NumberFormatException e) {
      port = -1;
    }
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException(what + ": port must be 1..65535: '" + s + "'");
    }
    return new HostPort(h, port);
  }

  /** Only IP literals in 127.0.0.0/8 or ::1 (a name is refused: no DNS look-up, no surprise). */
  static void requireLoopback(String host, String what, String given) {
    if (!isLoopbackLiteral(host)) {
      throw new IllegalArgumentException(what + " must be a loopback address (127.0.0.0/8 or [::1]), not '" + given + "'");
    }
  }

  static boolean isLoopbackLiteral(String host) {
    Matcher m = IPV4.matcher(host);
    if (m.matches()) {
      for (int i = 1; i <= 4; i++) {
        if (Integer.parseInt(m.group(i)) > 255) {
          return false;
        }
      }
      return Integer.parseInt(m.group(1)) == 127;
    }
    if (host.indexOf(':') < 0 || !host.matches("[0-9A-Fa-f:.]+")) {
      return false;   // a name, or something that is no literal
    }
    try {
      // An IPv6 literal: parsed, never looked up.
      return InetAddress.getByName(host).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }

  private static boolean hasSpaceOrControl(String s) {
    for (int i = 0; i < s.length(); i++) {
      char ch = s.charAt(i);
      if (ch <= ' ' || ch == 0x7f) {
        return true;
      }
    }
    return false;
  }

  /** "10s", "500ms", "2m", or plain seconds, to nanoseconds. */
  static long parseDuration(String s, String what) {
    Matcher m = DURATION.matcher(s);
    if (!m.matches()) {
      throw new IllegalArgumentException(what + " must be a duration like 10s, 500ms, 2m: '" + s + "'");
    }
    long n = Long.parseLong(m.group(1));
    String unit = m.group(2) == null ? "s" : m.group(2);
    return switch (unit) {
      case "ms" -> n * 1_000_000L;
      case "m" -> n * 60_000_000_000L;
      default -> n * 1_000_000_000L;
    };
  }

  // ------------------------------------------------------------------ schedule and statistics

  /**
   * Nanoseconds from t0 to when request {@code k} of connection {@code c} is due: global request
   * number {@code k * connections + c}, one every {@code 1 / rate} seconds.
   */
  static long dueOffsetNanos(long k, int c, int connections, double rate) {
    return (long) ((double) (k * connections + c) * 1e9 / rate);
  }

  /**
   * The nearest-rank percentile of the first {@code n} values of {@code sorted} (ascending):
   * the smallest value with at least {@code perMille}/1000 of the values at or below it.
   * 0 when there are none.
   */
  static long percentile(long[] sorted, int n, int perMille) {
    if (n <= 0) {
      return 0;
    }
    long rank = ((long) n * perMille + 999) / 1000;
    if (rank < 1) {
      rank = 1;
    }
    if (rank > n) {
      rank = n;
    }
    return sorted[(int) rank - 1];
  }

  /** The width of one --timeline line. */
  static final int TIMELINE_BUCKET_MILLIS = 10;

  /**
   * Per {@code bucketMillis} of due time over the measured period: how many requests were due then
   * and answered, how many of them took over 1 ms, and the slowest (microseconds). A stall of the
   * server shows as a run of lines with a high maximum; {@code due} and {@code latencies} are
   * parallel (the first {@code n} of each).
   */
  static List<long[]> timeline(int[] due, long[] latencies, int n, int bucketMillis, long durationNanos) {
    int buckets = (int) ((durationNanos / 1_000_000L + bucketMillis - 1) / bucketMillis);
    long[][] b = new long[buckets][3];
    for (int i = 0; i < n; i++) {
      int k = Math.min(buckets - 1, Math.max(0, due[i] / bucketMillis));
      b[k][0]++;
      if (latencies[i] > 1_000_000L) {
        b[k][1]++;
      }
      b[k][2] = Math.max(b[k][2], latencies[i] / 1_000L);
    }
    List<long[]> out = new ArrayList<>(buckets);
    for (int k = 0; k < buckets; k++) {
      out.add(new long[] {(long) k * bucketMillis, b[k][0], b[k][1], b[k][2]});
    }
    return out;
  }

  private static void writeTimeline(String file, long startMillis, List<long[]> lines) {
    StringBuilder sb = new StringBuilder("# measured period from epoch ms " + startMillis
        + "\n# offset_ms requests over_1ms max_us\n");
    for (long[] l : lines) {
      sb.append(l[0]).append(' ').append(l[1]).append(' ').append(l[2]).append(' ').append(l[3]).append('\n');
    }
    try {
      java.nio.file.Files.writeString(java.nio.file.Path.of(file), sb);
    } catch (IOException e) {
      System.err.println("RateLoad: cannot write the timeline to " + file + ": " + e.getMessage());
    }
  }

  /** The result line (latencies given in nanoseconds, printed in microseconds). */
  static String resultLine(double targetRps, double achievedRps, long requests, long errors, long[] sorted, int n) {
    return String.format(Locale.ROOT,
        "RATE_RESULT target_rps=%.1f achieved_rps=%.1f requests=%d errors=%d p50_us=%.1f p99_us=%.1f p999_us=%.1f max_us=%.1f",
        targetRps, achievedRps, requests, errors,
        percentile(sorted, n, 500) / 1e3, percentile(sorted, n, 990) / 1e3, percentile(sorted, n, 999) / 1e3,
        (n > 0 ? sorted[n - 1] : 0) / 1e3);
  }

  // ------------------------------------------------------------------ responses

  /** Why a response does not count. */
  static final class BadResponse extends IOException {
    BadResponse(String message) {
      super(message);
    }
  }

  /**
   * Reads HTTP/1.1 responses from one connection, allocating nothing per response: the status line,
   * the header fields (Content-Length, Transfer-Encoding: chunked, Connection: close), the body.
   */
  static final class ResponseReader {
    private final InputStream in;
    private final byte[] buf = new byte[16384];
    private final byte[] line = new byte[MAX_LINE];
    private int pos;
    private int lim;
    /** Set by {@link #read()}: the response said Connection: close. */
    boolean close;

    ResponseReader(InputStream in) {
      this.in = in;
    }

    /** Reads one complete response; returns its status. Throws on EOF, timeout or bad framing. */
    int read() throws IOException {
      for (int interim = 0; interim < 10; interim++) {
        int status = readHead();
        if (status >= 200) {
          return status;
        }
        // 1xx: no body; the final response follows.
      }
      throw new BadResponse("too many interim responses");
    }

    private long contentLength;
    private boolean chunked;

    /** The three digits after "HTTP/1.x " in the status line just read. */
    private int statusCode() throws BadResponse {
      int status = 0;
      for (int i = 9; i < 12; i++) {
        int d = line[i] - '0';
        if (d < 0 || d > 9) {
          throw new BadResponse("bad status code");
        }
        status = status * 10 + d;
      }
      return status;
    }

    /** The head of the answer to CONNECT: a 2xx has no body (RFC 9110 9.3.6), the tunnel follows. */
    int readConnectAnswer() throws IOException {
      int n = readLine();
      if (n < 12 || !startsWith(line, n, "HTTP/1.")) {
        throw new BadResponse("not an HTTP/1.x status line");
      }
      int status = statusCode();
      for (int fields = 0; readLine() != 0; fields++) {
        if (fields > MAX_HEADER_LINES) {
          throw new BadResponse("too many header fields");
        }
      }
      return status;
    }

    private int readHead() throws IOException {
      int n = readLine();
      if (n < 12 || !startsWith(line, n, "HTTP/1.1 ")) {
        throw new BadResponse("not an HTTP/1.1 status line");
      }
      int status = statusCode();
      contentLength = -1;
      chunked = false;
      close = false;
      for (int fields = 0; ; fields++) {
        if (fields > MAX_HEADER_LINES) {
          throw new BadResponse("too many header fields");
        }
        n = readLine();
        if (n == 0) {
          break;
        }
        if (startsWithIgnoreCase(line, n, "content-length:")) {
          contentLength = parseLength(line, 15, n);
        } else if (startsWithIgnoreCase(line, n, "transfer-encoding:")) {
          chunked = containsIgnoreCase(line, 18, n, "chunked");
        } else if (startsWithIgnoreCase(line, n, "connection:")) {
          close |= containsIgnoreCase(line, 11, n, "close");
        }
      }
      if (status < 200 || status == 204 || status == 304) {
        return status;
      }
      if (chunked) {
        readChunked();
      } else if (contentLength >= 0) {
        skip(contentLength);
      } else {
        throw new BadResponse("response without Content-Length or chunked framing");
      }
      return status;
    }

    private void readChunked() throws IOException {
      for (int chunks = 0; chunks < 1_000_000; chunks++) {
        int n = readLine();
        long size = 0;
        int i = 0;
        for (; i < n; i++) {
          int d = Character.digit(line[i], 16);
          if (d < 0) {
            break;
          }
          size = size * 16 + d;
          if (size > (1L << 40)) {
            throw new BadResponse("chunk too large");
          }
        }
        if (i == 0) {
          throw new BadResponse("bad chunk size");
        }
        if (size == 0) {
          for (int t = 0; t < MAX_HEADER_LINES; t++) {   // trailer fields, then the empty line
            if (readLine() == 0) {
              return;
            }
          }
          throw new BadResponse("too many trailer fields");
        }
        skip(size);
        if (readLine() != 0) {
          throw new BadResponse("chunk not followed by CRLF");
        }
      }
      throw new BadResponse("too many chunks");
    }

    private static long parseLength(byte[] b, int from, int to) throws BadResponse {
      long v = -1;
      for (int i = from; i < to; i++) {
        byte ch = b[i];
        if (ch == ' ' || ch == '\t') {
          continue;
        }
        if (ch < '0' || ch > '9' || v > (1L << 40)) {
          throw new BadResponse("bad Content-Length");
        }
        v = (v < 0 ? 0 : v * 10) + (ch - '0');
      }
      if (v < 0) {
        throw new BadResponse("empty Content-Length");
      }
      return v;
    }

    /** One line into {@link #line}, without its CRLF (a bare LF is accepted); returns its length. */
    private int readLine() throws IOException {
      int n = 0;
      while (true) {
        if (pos == lim) {
          fill();
        }
        byte b = buf[pos++];
        if (b == '\n') {
          if (n > 0 && line[n - 1] == '\r') {
            n--;
          }
          return n;
        }
        if (n == MAX_LINE) {
          throw new BadResponse("line too long");
        }
        line[n++] = b;
      }
    }

    private void skip(long count) throws IOException {
      while (count > 0) {
        if (pos == lim) {
          fill();
        }
        int take = (int) Math.min(count, lim - pos);
        pos += take;
        count -= take;
      }
    }

    private void fill() throws IOException {
      int r = in.read(buf, 0, buf.length);
      if (r <= 0) {
        throw new EOFException("connection closed");
      }
      pos = 0;
      lim = r;
    }

    private static boolean startsWith(byte[] b, int n, String prefix) {
      if (n < prefix.length()) {
        return false;
      }
      for (int i = 0; i < prefix.length(); i++) {
        if (b[i] != prefix.charAt(i)) {
          return false;
        }
      }
      return true;
    }

    private static boolean startsWithIgnoreCase(byte[] b, int n, String lowerPrefix) {
      if (n < lowerPrefix.length()) {
        return false;
      }
      for (int i = 0; i < lowerPrefix.length(); i++) {
        if (lower(b[i]) != lowerPrefix.charAt(i)) {
          return false;
        }
      }
      return true;
    }

    private static boolean containsIgnoreCase(byte[] b, int from, int to, String lowerWord) {
      int w = lowerWord.length();
      for (int i = from; i + w <= to; i++) {
        int j = 0;
        while (j < w && lower(b[i + j]) == lowerWord.charAt(j)) {
          j++;
        }
        if (j == w) {
          return true;
        }
      }
      return false;
    }

    private static int lower(byte b) {
      return b >= 'A' && b <= 'Z' ? b + 32 : b;
    }
  }

  // ------------------------------------------------------------------ the load

  /** One connection and its thread. */
  static final class Worker implements Runnable {
    private final Config cfg;
    private final int index;
    private final byte[] request;
    private final InetSocketAddress address;
    private final long t0;
    private final long measureStart;
    private final long measureEnd;
    private final long sendDeadline;
    private final RunState state;

    final long[] latencies;
    /** When each recorded request was due: milliseconds into the measured period (for --timeline). */
    final int[] dueMillis;
    /** Latencies recorded so far (written by this worker only; volatile, so main may read them). */
    volatile int count;
    volatile long errors;
    volatile long lastDone;
    volatile Socket socket;
    private OutputStream out;
    private ResponseReader reader;

    Worker(Config cfg, int index, InetSocketAddress address, long t0, RunState state) {
      this.cfg = cfg;
      this.index = index;
      this.request = cfg.request();
      this.address = address;
      this.t0 = t0;
      this.measureStart = t0 + cfg.warmupNanos();
      this.measureEnd = measureStart + cfg.durationNanos();
      this.sendDeadline = measureEnd + DRAIN_NANOS;
      this.state = state;
      this.latencies = new long[cfg.samplesPerConnection()];
      this.dueMillis = new int[cfg.timeline() == null ? 0 : latencies.length];
    }

    @Override
    public void run() {
      try {
        connect();
      } catch (IOException e) {
        close();   // the first request tries again
      }
      int n = 0;
      long err = 0;
      for (long k = 0; ; k++) {
        long due = t0 + dueOffsetNanos(k, index, cfg.connections(), cfg.rate());
        if (due >= measureEnd) {
          break;
        }
        boolean measured = due >= measureStart;
        long now = System.nanoTime();
        while (now < due && !state.stop) {
          LockSupport.parkNanos(due - now);
          now = System.nanoTime();
        }
        if (state.stop || now > sendDeadline) {
          // Never sent: it would have been later than the drain allows (or the run is over).
          if (measured) {
            errors = ++err;
          }
          continue;
        }
        boolean ok = exchange();
        long done = System.nanoTime();
        if (!measured) {
          continue;
        }
        if (ok && n < latencies.length) {
          latencies[n] = done - due;   // from when it was DUE, not when it was sent
          if (dueMillis.length > 0) {
            dueMillis[n] = (int) ((due - measureStart) / 1_000_000L);
          }
          lastDone = done;
          count = ++n;
        } else {
          errors = ++err;
        }
      }
      close();
    }

    /** One request and its response on the connection (opened first if need be); false: an error. */
    private boolean exchange() {
      try {
        if (socket == null) {
          connect();
        }
        out.write(request);
        if (cfg.tunnel()) {
          // The proxy's answer to CONNECT, then the origin's response through the tunnel; then
          // the connection ends, as the origin was asked to close.
          int established = reader.readConnectAnswer();
          int status = reader.read();
          close();
          return established / 100 == 2 && status < 400;
        }
        int status = reader.read();
        if (reader.close) {
          close();   // the server ends the connection: counted as an error, like a reset
          return false;
        }
        return status < 400;
      } catch (IOException | RuntimeException e) {
        close();
        return false;
      }
    }

    private void connect() throws IOException {
      Socket s = new Socket();
      socket = s;   // before connect(), so that the main thread can close it at the deadline
      try {
        s.setTcpNoDelay(true);
        s.connect(address, (int) Math.max(1, Math.min(cfg.timeoutNanos(), 2_000_000_000L) / 1_000_000L));
        s.setSoTimeout((int) Math.max(1, cfg.timeoutNanos() / 1_000_000L));
        out = s.getOutputStream();
        reader = new ResponseReader(s.getInputStream());
        if (state.stop) {
          throw new IOException("stopped");
        }
      } catch (IOException e) {
        close();
        throw e;
      }
    }

    void close() {
      Socket s = socket;
      socket = null;
      if (s != null) {
        try {
          s.close();
        } catch (IOException ignored) {
          // closing anyway
        }
      }
    }
  }

  static final class RunState {
    volatile boolean stop;
  }

  public static void main(String[] args) {
    Config cfg;
    try {
      cfg = parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("RateLoad: " + e.getMessage());
      System.exit(2);
      return;
    }
    int rc;
    try {
      rc = run(cfg);
    } catch (Throwable t) {
      System.err.println("RateLoad: failed: " + t);
      rc = 1;
    }
    System.out.flush();
    System.exit(rc);
  }

  static int run(Config cfg) throws InterruptedException, UnknownHostException {
    long start = System.nanoTime();
    long hardDeadline = start + cfg.warmupNanos() + cfg.durationNanos() + HARD_MARGIN_NANOS;
    long t0 = start + START_DELAY_NANOS;
    long measureStart = t0 + cfg.warmupNanos();
    long measureEnd = measureStart + cfg.durationNanos();
    InetSocketAddress address = new InetSocketAddress(InetAddress.getByName(cfg.connectHost()), cfg.connectPort());
    RunState state = new RunState();
    Worker[] workers = new Worker[cfg.connections()];
    Thread[] threads = new Thread[cfg.connections()];
    for (int c = 0; c < workers.length; c++) {
      workers[c] = new Worker(cfg, c, address, t0, state);
      threads[c] = new Thread(workers[c], "rate-load-" + c);
      threads[c].setDaemon(true);
    }
    for (Thread t : threads) {
      t.start();
    }
    // Wait for them, but not past a second before the hard deadline.
    boolean cutShort = false;
    for (Thread t : threads) {
      long left = hardDeadline - 1_000_000_000L - System.nanoTime();
      if (left > 0) {
        t.join(Math.max(1, left / 1_000_000L));
      }
      if (t.isAlive()) {
        cutShort = true;
        break;
      }
    }
    if (cutShort) {
      state.stop = true;
      for (Worker w : workers) {
        w.close();   // wakes a thread blocked in connect, read or write
      }
      for (Thread t : threads) {
        long left = hardDeadline - System.nanoTime();
        if (left > 0) {
          t.join(Math.max(1, Math.min(left, 500_000_000L) / 1_000_000L));
        }
      }
    }

    int total = 0;
    long errors = 0;
    long lastDone = measureEnd;
    int[] counts = new int[workers.length];
    for (int c = 0; c < workers.length; c++) {
      counts[c] = workers[c].count;   // read before the array: the volatile write follows each store
      total += counts[c];
      errors += workers[c].errors;
      lastDone = Math.max(lastDone, workers[c].lastDone);
    }
    long[] all = new long[total];
    int[] due = new int[cfg.timeline() == null ? 0 : total];
    int at = 0;
    for (int c = 0; c < workers.length; c++) {
      System.arraycopy(workers[c].latencies, 0, all, at, counts[c]);
      if (due.length > 0) {
        System.arraycopy(workers[c].dueMillis, 0, due, at, counts[c]);
      }
      at += counts[c];
    }
    if (cfg.timeline() != null) {
      // Wall-clock time of the measured period's start, to line the timeline up with other logs.
      long startMillis = System.currentTimeMillis() - (System.nanoTime() - measureStart) / 1_000_000L;
      writeTimeline(cfg.timeline(), startMillis, timeline(due, all, total, TIMELINE_BUCKET_MILLIS, cfg.durationNanos()));
    }
    Arrays.sort(all);
    if (cutShort) {
      // Requests due but never answered are not in either count; say so.
      long expected = (long) Math.floor(cfg.rate() * cfg.durationNanos() / 1e9);
      errors = Math.max(errors, expected - total);
    }
    double elapsed = (lastDone - measureStart) / 1e9;
    double achieved = elapsed > 0 ? total / elapsed : 0;
    System.out.println(resultLine(cfg.rate(), achieved, total, errors, all, total));
    if (cutShort) {
      System.err.println("RateLoad: hard deadline reached: connections still busy were closed");
      return 1;
    }
    if (total == 0) {
      System.err.println("RateLoad: no response at all in the measured period");
      return 1;
    }
    return 0;
  }
}
