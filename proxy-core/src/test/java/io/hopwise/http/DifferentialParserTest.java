package io.hopwise.http;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseDecoder;
import io.netty.handler.codec.http.LastHttpContent;
import io.vertx.core.buffer.Buffer;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Differential fuzzing, the HTTP Garden's method (issue 29): the same bytes go to our request
 * parser and chunked decoder and to Netty's HttpRequestDecoder with its strict settings (strict
 * line parsing, RFC 9112 Transfer-Encoding rules, header validation). Where both accept, they must
 * agree on method, target, fields, body bytes and where the message ends (a sentinel request
 * follows every message, and both must find it next). Refusing what the other accepts is fine:
 * we are stricter on purpose. Every disagreement found becomes a named case in
 * {@link ChunkedDecoderTest} or {@link RequestHeadParserTest}.
 *
 * <p>Seeded and bounded; {@code -Dhopwise.seed=N} and {@code -Dhopwise.diff.iterations=N} for a
 * longer run ({@code bench/diff-fuzz.sh}).
 */
class DifferentialParserTest {
  private static final long SEED = Long.getLong("hopwise.seed", 0x29_D1FFL);
  private static final int ITERATIONS = Integer.getInteger("hopwise.diff.iterations", 4000);
  private static final String SENTINEL = "GET /sentinel HTTP/1.1\r\nHost: s\r\n\r\n";

  private static final List<String> METHODS = List.of("GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "HEAD");
  private static final List<String> TARGETS = List.of("/", "/a/b?c=d", "http://example.com/x", "http://example.com",
      "http://user@example.com:8080/p", "http://[::1]:80/v6", "http://a.example/%20?x=%41", "*",
      "http://exa mple.com/", "http://example.com/a#frag", "/\u00e9", "//double");
  private static final List<String> TE_SPELLINGS = List.of("chunked", "Chunked", "CHUNKED", " chunked", "chunked ",
      "chunked, chunked", "gzip, chunked", "chunked, gzip", "xchunked", "\"chunked\"", "chunked;q=1", "identity",
      "chunked\t", ",chunked", "chunked,");
  private static final List<String> CL_SPELLINGS = List.of("%d", "0%d", "+%d", "%d ", " %d", "%d, %d", "%d,%d",
      "0x%x", "%d.0", "-%d", "%d%d");
  private static final List<String> CHUNK_SIZES = List.of("%x", "%X", "0%x", "%x ", "%x;e", "%x;e=v", "%x;e=\"v\"",
      "%x ;e", "%x;e=\"v", "%x;e=\"a\\\"b\"", "0x%x", "+%x", "%x\t", "%x;", "%x;=v", "%x;e=");
  private static final List<String> EOLS = List.of("\r\n", "\r\n", "\r\n", "\r\n", "\n", "\r", "\r\r\n", "\n\r");

  /** Identical Content-Length values, which we collapse on purpose (RFC 9112 6.3; docs/behaviour.md item 1). */
  private static final java.util.regex.Pattern IDENTICAL_LENGTHS =
      java.util.regex.Pattern.compile("(?i)content-length *: *(\\d+) *, *\\1\\b");

  /** What a parser made of the bytes: the first message, and whether the sentinel came next. */
  private record Parsed(String method, String target, List<String> fields, String body, boolean sentinelNext) {}

  @Test
  void whereBothParsersAcceptTheyAgree() {
    Random r = new Random(SEED);
    int bothAccept = 0;
    int onlyOurs = 0;
    int onlyNetty = 0;
    int neither = 0;
    Map<String, String> disagreements = new TreeMap<>();
    for (int i = 0; i < ITERATIONS; i++) {
      byte[] input = message(r);
      Parsed ours = ours(input);
      Parsed netty = netty(input);
      if (ours != null && netty != null) {
        bothAccept++;
        String diff = compare(ours, netty);
        if (diff != null) {
          disagreements.putIfAbsent(diff, printable(input));
        }
      } else if (ours != null) {
        onlyOurs++;
        // Accepting what the strict reference refuses is a place to look: record it too, unless
        // it is a leniency we chose (Netty refuses "0, 0" on HTTP/1.0 even when told to collapse).
        if (!IDENTICAL_LENGTHS.matcher(new String(input, StandardCharsets.ISO_8859_1)).find()) {
          disagreements.putIfAbsent("only ours accepts", printable(input));
        }
      } else if (netty != null) {
        onlyNetty++;
      } else {
        neither++;
      }
    }
    System.out.printf("DifferentialParserTest: seed %d, %d inputs: both accept %d, only ours %d, only Netty %d,"
        + " neither %d, disagreements %d%n", SEED, ITERATIONS, bothAccept, onlyOurs, onlyNetty, neither,
        disagreements.size());
    assertTrue(bothAccept > ITERATIONS / 10, "too few inputs both accept to compare: " + bothAccept);
    assertTrue(disagreements.isEmpty(), "seed " + SEED + ": " + disagreements);
  }

  /** The same for responses: our response parser against Netty's strict HttpResponseDecoder. */
  @Test
  void whereBothResponseParsersAcceptTheyAgree() {
    Random r = new Random(SEED);
    int bothAccept = 0;
    Map<String, String> disagreements = new TreeMap<>();
    for (int i = 0; i < ITERATIONS; i++) {
      byte[] input = response(r);
      Parsed ours = oursResponse(input);
      Parsed netty = nettyResponse(input);
      if (ours != null && netty != null) {
        bothAccept++;
        String diff = compare(ours, netty);
        if (diff != null) {
          disagreements.putIfAbsent(diff, printable(input));
        }
      } else if (ours != null && !chosenLeniency(new String(input, StandardCharsets.ISO_8859_1))) {
        disagreements.putIfAbsent("only ours accepts", printable(input));
      }
    }
    System.out.printf("DifferentialParserTest (responses): seed %d, %d inputs: both accept %d, disagreements %d%n",
        SEED, ITERATIONS, bothAccept, disagreements.size());
    assertTrue(bothAccept > ITERATIONS / 10, "too few inputs both accept to compare: " + bothAccept);
    assertTrue(disagreements.isEmpty(), "seed " + SEED + ": " + disagreements);
  }

  /**
   * What we accept on purpose where Netty refuses: identical Content-Length values, and an
   * HTTP/1.0 response with Transfer-Encoding, which RFC 9112 6.1 says to process and then close
   * the connection after (Persistence.upstreamKeepsAlive, issue 29).
   */
  private static boolean chosenLeniency(String response) {
    return IDENTICAL_LENGTHS.matcher(response).find()
        || (response.startsWith("HTTP/1.0 ") && response.toLowerCase(Locale.ROOT).contains("\ntransfer-encoding:"));
  }

  private static String compare(Parsed ours, Parsed netty) {
    if (!ours.method().equals(netty.method())) {
      return "method";
    }
    if (!ours.target().equals(netty.target())) {
      return "target";
    }
    if (!inOrder(ours.fields()).equals(inOrder(netty.fields()))
        || !lengths(ours.fields()).equals(lengths(netty.fields()))) {
      return "fields: ours " + ours.fields() + ", Netty's " + netty.fields();
    }
    if (!ours.body().equals(netty.body())) {
      return "body";
    }
    if (ours.sentinelNext() != netty.sentinelNext()) {
      return "where the message ends";
    }
    return null;
  }

  /**
   * The fields but the framing ones, in order: Netty moves a collapsed Content-Length to the end
   * and drops Transfer-Encoding from 204 and 304 responses. Whether the two agree on framing is
   * what the body and the sentinel check.
   */
  private static List<String> inOrder(List<String> fields) {
    return fields.stream().filter(f -> !f.startsWith("content-length: ") && !f.startsWith("transfer-encoding: "))
        .toList();
  }

  /** The distinct Content-Length values. */
  private static java.util.Set<String> lengths(List<String> fields) {
    return fields.stream().filter(f -> f.startsWith("content-length: ")).collect(java.util.stream.Collectors.toSet());
  }

  // ---------------------------------------------------------------- the generator

  private static byte[] message(Random r) {
    String method = pick(r, METHODS);
    String version = r.nextInt(8) == 0 ? "HTTP/1.0" : "HTTP/1.1";
    String sep = r.nextInt(20) == 0 ? pick(r, List.of("  ", "\t", " \t")) : " ";
    StringBuilder head = new StringBuilder(method + sep + pick(r, TARGETS) + " " + version + eol(r));
    if (r.nextInt(10) != 0) {
      head.append("Host: ").append(r.nextInt(10) == 0 ? "a b" : "example.com").append(eol(r));
    }
    String body = "";
    int framing = r.nextInt(4); // none, length, chunked, both
    String content = "x".repeat(r.nextInt(12));
    if (framing == 1 || framing == 3) {
      String cl = pick(r, CL_SPELLINGS).replace("%d", Integer.toString(content.length()))
          .replace("%x", Integer.toHexString(content.length()));
      head.append(r.nextInt(6) == 0 ? "content-length : " : "Content-Length: ").append(cl).append(eol(r));
      body = content;
    }
    if (framing == 2 || framing == 3) {
      head.append(r.nextInt(8) == 0 ? "transfer-encoding:\t" : "Transfer-Encoding: ").append(pick(r, TE_SPELLINGS))
          .append(eol(r));
      body = chunked(r, content);
    }
    if (r.nextInt(6) == 0) {
      head.append(pick(r, List.of("X-Fold: a" + eol(r) + " b", "X-Ctl: a\u0001b", "X-Obs: caf\u00e9", "X-Empty:",
          "X-Sp : v", " X-Lead: v", "X-Tab:\tv\t", "X-Nul: a\u0000b", "X-Del: a\u007fb"))).append(eol(r));
    }
    head.append("Accept: */*").append(eol(r)).append(eol(r));
    return (head + body + SENTINEL).getBytes(StandardCharsets.ISO_8859_1);
  }

  private static final String SENTINEL_RESPONSE = "HTTP/1.1 299 Sentinel\r\nContent-Length: 0\r\n\r\n";
  private static final List<String> STATUS_LINES = List.of("HTTP/1.1 200 OK", "HTTP/1.0 200 OK", "HTTP/1.1 200 ",
      "HTTP/1.1 200", "HTTP/1.1 404 Not Found", "HTTP/1.1 204 No Content", "HTTP/1.1 304 Not Modified",
      "HTTP/1.1  200 OK", "HTTP/1.1 200 O\u00e9K", "HTTP/1.1 2000 OK", "HTTP/1.1 099 Low", "HTTP/1.2 200 OK",
      "HTTP/1.1 200 A\tB");

  private static byte[] response(Random r) {
    StringBuilder head = new StringBuilder(pick(r, STATUS_LINES)).append(eol(r));
    String body = "";
    int framing = r.nextInt(4); // none (until close), length, chunked, both
    String content = "y".repeat(r.nextInt(12));
    if (framing == 1 || framing == 3) {
      head.append("Content-Length: ").append(pick(r, CL_SPELLINGS).replace("%d", Integer.toString(content.length()))
          .replace("%x", Integer.toHexString(content.length()))).append(eol(r));
      body = content;
    }
    if (framing == 2 || framing == 3) {
      head.append("Transfer-Encoding: ").append(pick(r, TE_SPELLINGS)).append(eol(r));
      body = chunked(r, content);
    }
    if (framing == 0) {
      body = content;
    }
    if (r.nextInt(6) == 0) {
      head.append(pick(r, List.of("X-Fold: a" + eol(r) + " b", "X-Ctl: a\u0001b", "Set-Cookie: a=b; Path=/",
          "X-Sp : v", "Connection: close", "X-Nul: a\u0000b"))).append(eol(r));
    }
    head.append("Server: t").append(eol(r)).append(eol(r));
    return (head + body + SENTINEL_RESPONSE).getBytes(StandardCharsets.ISO_8859_1);
  }

  private static String chunked(Random r, String content) {
    StringBuilder b = new StringBuilder();
    int at = 0;
    while (at < content.length()) {
      int n = Math.min(content.length() - at, 1 + r.nextInt(5));
      b.append(pick(r, CHUNK_SIZES).replace("%x", Integer.toHexString(n)).replace("%X", Integer.toHexString(n)
          .toUpperCase(Locale.ROOT))).append(eol(r)).append(content, at, at + n).append(eol(r));
      at += n;
    }
    b.append(r.nextInt(8) == 0 ? pick(r, CHUNK_SIZES).replace("%x", "0").replace("%X", "0") : "0").append(eol(r));
    if (r.nextInt(4) == 0) {
      b.append(pick(r, List.of("X-Trailer: t", "X-T : t", " fold", "X-Ctl: \u0001"))).append(eol(r));
    }
    return b.append(eol(r)).toString();
  }

  private static String eol(Random r) {
    return r.nextInt(12) == 0 ? pick(r, EOLS) : "\r\n";
  }

  private static <T> T pick(Random r, List<T> from) {
    return from.get(r.nextInt(from.size()));
  }

  // ---------------------------------------------------------------- our parser

  private static Parsed ours(byte[] input) {
    ParseOutcome<RequestHead> outcome = new RequestHeadParser(HeadLimits.DEFAULT).parse(input, input.length);
    if (!(outcome instanceof ParseOutcome.Parsed<RequestHead> parsed)) {
      return null;
    }
    RequestHead head = parsed.head();
    return withBody(head.method(), head.target(), head.fields(), head.framing(),
        Buffer.buffer(input).slice(parsed.consumed(), input.length), SENTINEL);
  }

  private static Parsed oursResponse(byte[] input) {
    ParseOutcome<ResponseHead> outcome = new ResponseHeadParser(65536, 100).parse(input, input.length, "GET");
    if (!(outcome instanceof ParseOutcome.Parsed<ResponseHead> parsed)) {
      return null;
    }
    ResponseHead head = parsed.head();
    return withBody(Integer.toString(head.status()), head.reason(), head.fields(), head.framing(),
        Buffer.buffer(input).slice(parsed.consumed(), input.length), SENTINEL_RESPONSE);
  }

  /** Reads the body that follows a head as its framing says; null when the decoder refuses it. */
  private static Parsed withBody(String first, String second, HttpFields headFields, BodyFraming framing,
      Buffer rest, String sentinel) {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    Buffer[] after = {null};
    switch (framing.kind()) {
      case LENGTH -> {
        int n = (int) framing.length();
        if (rest.length() < n) {
          return null;
        }
        body.writeBytes(rest.slice(0, n).getBytes());
        after[0] = rest.slice(n, rest.length());
      }
      case CHUNKED -> {
        Rejection refused = new ChunkedDecoder(400, 16384, 100).feed(rest, new ChunkedDecoder.Sink() {
          @Override
          public void data(Buffer chunk) {
            body.writeBytes(chunk.getBytes());
          }

          @Override
          public void end(HttpFields trailers, Buffer r) {
            after[0] = r;
          }
        });
        if (refused != null || after[0] == null) {
          return null;
        }
      }
      case UNTIL_CLOSE -> {
        body.writeBytes(rest.getBytes());
        after[0] = Buffer.buffer();
      }
      default -> after[0] = rest;
    }
    List<String> fields = new ArrayList<>();
    for (HttpField f : headFields) {
      fields.add(field(f.name(), f.value()));
    }
    return new Parsed(first, second, fields, body.toString(StandardCharsets.ISO_8859_1),
        after[0].toString(StandardCharsets.ISO_8859_1).startsWith(sentinel));
  }

  // ---------------------------------------------------------------- Netty's decoder, strict

  private static HttpDecoderConfig strict() {
    return new HttpDecoderConfig().setStrictLineParsing(true).setUseRfc9112TransferEncoding(true)
        .setValidateHeaders(true)
        // Identical Content-Length values collapse, as ours do (RFC 9112 6.3 allows it; docs/behaviour.md item 1).
        .setAllowDuplicateContentLengths(true);
  }

  private static Parsed netty(byte[] input) {
    return netty(new EmbeddedChannel(new HttpRequestDecoder(strict())), input);
  }

  private static Parsed nettyResponse(byte[] input) {
    return netty(new EmbeddedChannel(new HttpResponseDecoder(strict())), input);
  }

  /** What Netty's decoder in {@code ch} made of the bytes: the first message and what follows it. */
  private static Parsed netty(EmbeddedChannel ch, byte[] input) {
    try {
      ch.writeInbound(Unpooled.wrappedBuffer(input));
      ch.finish(); // the end of input ends a close-delimited response
      HttpMessage request = null;
      StringBuilder body = new StringBuilder();
      boolean ended = false;
      boolean sentinelNext = false;
      Object msg;
      while ((msg = ch.readInbound()) != null) {
        try {
          if (msg instanceof HttpObject o && o.decoderResult().isFailure()) {
            if (Boolean.getBoolean("hopwise.diff.why")) {
              System.out.println("netty refused: " + o.decoderResult().cause() + " for " + printable(input));
            }
            return ended ? parsed(request, body, false) : null;
          }
          if (msg instanceof HttpMessage m) {
            if (request == null) {
              request = m;
            } else if (ended) {
              sentinelNext = m instanceof HttpRequest req ? req.uri().equals("/sentinel")
                  : ((HttpResponse) m).status().code() == 299;
              break;
            }
          }
          if (msg instanceof HttpContent c && !ended) {
            ByteBuf content = c.content();
            body.append(content.toString(StandardCharsets.ISO_8859_1));
            ended = msg instanceof LastHttpContent;
          }
        } finally {
          io.netty.util.ReferenceCountUtil.release(msg);
        }
      }
      return request == null || !ended ? null : parsed(request, body, sentinelNext);
    } finally {
      ch.finishAndReleaseAll();
    }
  }

  private static Parsed parsed(HttpMessage message, StringBuilder body, boolean sentinelNext) {
    List<String> fields = new ArrayList<>();
    message.headers().iteratorAsString().forEachRemaining(e -> fields.add(field(e.getKey(), e.getValue())));
    return message instanceof HttpRequest req
        ? new Parsed(req.method().name(), req.uri(), fields, body.toString(), sentinelNext)
        : new Parsed(Integer.toString(((HttpResponse) message).status().code()),
            ((HttpResponse) message).status().reasonPhrase(), fields, body.toString(), sentinelNext);
  }

  /**
   * A field as both sides are compared: name in lower case; a Content-Length as the number it
   * stands for (ours keeps "05" or "5, 5" as received, Netty rewrites some spellings).
   */
  private static String field(String name, String value) {
    String n = name.toLowerCase(Locale.ROOT);
    if (n.equals("content-length")) {
      value = Long.toString(Long.parseLong(value.split(",")[0].trim()));
    }
    return n + ": " + value;
  }

  private static String printable(byte[] input) {
    return new String(input, StandardCharsets.ISO_8859_1).replace("\r", "\\r").replace("\n", "\\n")
        .replace("\t", "\\t");
  }
}
