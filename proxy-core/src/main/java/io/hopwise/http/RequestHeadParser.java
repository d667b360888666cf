package io.hopwise.http;

import java.nio.charset.StandardCharsets;

/**
 * Strict HTTP/1.1 request-head parser (RFC 9112 sections 2-6). Bytes in, a head or a rejection
 * with a reason out, the same for the same bytes whatever came before. Called again with more
 * bytes until it stops saying NeedMore. It keeps one hint, the order of the last head's field
 * names ({@link FieldOrder}), so use one per thread (the proxy keeps one per event loop).
 */
public final class RequestHeadParser {
  private final HeadLimits limits;
  /** Whether the one-pass paths for plain heads are taken (off only in tests that compare the two). */
  private final boolean quickPaths;
  /** The names of the last request parsed, guessed first (see {@link FieldOrder}). */
  private final FieldOrder order = new FieldOrder();

  public RequestHeadParser(HeadLimits limits) {
    this(limits, true);
  }

  RequestHeadParser(HeadLimits limits, boolean quickPaths) {
    this.limits = limits;
    this.quickPaths = quickPaths;
  }

  /**
   * Parses b[0, length). The parsed fields keep ranges of {@code b} (see {@link HttpField}):
   * pass an array nothing will write to again.
   */
  public ParseOutcome<RequestHead> parse(byte[] b, int length) {
    try {
      return parseOrThrow(b, length);
    } catch (RejectedException e) {
      return new ParseOutcome.Refused<>(e.rejection());
    }
  }

  private ParseOutcome<RequestHead> parseOrThrow(byte[] b, int length) throws RejectedException {
    // RFC 9112 2.2: ignore empty lines received before the request-line.
    int start = 0;
    while (start + 1 < length && b[start] == '\r' && b[start + 1] == '\n') {
      start += 2;
    }
    // Bounded, or a client could grow our buffer forever with empty lines.
    if (start > limits.maxRequestLineBytes()) {
      throw new RejectedException(400, "too many empty lines before the request line");
    }
    if (start < length && b[start] == '\n') {
      throw new RejectedException(400, "bare LF line ending");
    }
    // Usually the request line is plain (two single spaces, printable ASCII, CRLF): one scan finds
    // its end and its first space. Anything else takes the checks below, which give the exact reason.
    long quick = quickPaths ? RequestLines.quickScan(b, start, length, limits.maxRequestLineBytes()) : -1;
    if (quick >= 0) {
      return parseRest(b, length, start, RequestLines.lineEnd(quick), RequestLines.firstSpace(quick), true);
    }
    int lineEnd = FieldLines.lineEnd(b, start, length, 400);
    if (lineEnd < 0) {
      // "- 1": the last byte may be the CR of a line of exactly the limit whose LF has not
      // arrived yet; refusing it here would make the outcome depend on how the bytes were split.
      // Subtracted on the left, not added to the limit: maxRequestLineBytes() + 1 overflows when
      // the limit is Integer.MAX_VALUE ("unlimited"), which refused every partial request line.
      if (length - start - 1 > limits.maxRequestLineBytes()) {
        throw new RejectedException(414, "request line longer than " + limits.maxRequestLineBytes() + " bytes");
      }
      return new ParseOutcome.NeedMore<>();
    }
    if (lineEnd - start - 2 > limits.maxRequestLineBytes()) {
      throw new RejectedException(414, "request line longer than " + limits.maxRequestLineBytes() + " bytes");
    }
    return parseRest(b, length, start, lineEnd, -1, false);
  }

  /**
   * From a request line that ends at {@code lineEnd} (within the limit) on. {@code plain}: the
   * quick scan found the line plain, and its first space at {@code firstSpace}.
   */
  private ParseOutcome<RequestHead> parseRest(byte[] b, int length, int start, int lineEnd, int firstSpace,
      boolean plain) throws RejectedException {
    // Usually the section is whole and valid, and one pass parses it; otherwise the two steps
    // below find the outcome for the bytes so far and its exact reason.
    FieldLines.Section whole = quickPaths && FieldLines.endsWithEmptyLine(b, length)
        && length - lineEnd <= limits.maxHeaderBytes()
        ? FieldLines.wholeSection(b, lineEnd, length, limits.maxFields(), order)
        : null;
    int end = whole != null ? whole.end() : FieldLines.headEnd(b, lineEnd, length, 400);
    if (end < 0) {
      if (length - lineEnd > limits.maxHeaderBytes()) {
        throw new RejectedException(431, "header section larger than " + limits.maxHeaderBytes() + " bytes");
      }
      return new ParseOutcome.NeedMore<>();
    }
    if (end - lineEnd > limits.maxHeaderBytes()) {
      throw new RejectedException(431, "header section larger than " + limits.maxHeaderBytes() + " bytes");
    }
    String[] line = plain
        ? requestLineParts(b, start, firstSpace, RequestLines.lastSpace(b, lineEnd - 2), lineEnd - 2, true)
        : requestLine(b, start, lineEnd - 2);
    HttpVersion version = version(line[2]);
    HttpFields fields = whole != null
        ? whole.fields()
        : FieldLines.parseSection(b, lineEnd, end, limits.maxFields(), 400, 431);
    checkHost(version, fields);
    BodyFraming framing = Framing.ofRequest(version, fields);
    return new ParseOutcome.Parsed<>(new RequestHead(line[0], line[1], version, fields, framing), end);
  }

  /** request-line = method SP request-target SP HTTP-version (RFC 9112 3), single spaces only. */
  private static String[] requestLine(byte[] b, int from, int to) throws RejectedException {
    // One scan, a word at a time, finds the spaces and refuses the first bare CR or control byte.
    int sp1 = -1;
    int sp2 = -1;
    int spaces = 0;
    int i = from;
    while (i < to) {
      if (i + Long.BYTES <= to) {
        long flags = FieldLines.controlOrSpaceBytes(FieldLines.word(b, i));
        if (flags == 0) {
          i += Long.BYTES;
          continue;
        }
        i += FieldLines.firstFlagged(flags);
      }
      int c = b[i] & 0xFF;
      if (c == ' ') {
        spaces++;
        if (sp1 < 0) {
          sp1 = i;
        } else if (sp2 < 0) {
          sp2 = i;
        }
      } else if (c == '\r') {
        throw new RejectedException(400, "bare CR in start line");
      } else if (c < 0x20 || c == 0x7F) {
        throw new RejectedException(400, "control character in start line");
      }
      i++;
    }
    if (spaces != 2 || sp1 == from || sp2 == sp1 + 1) {
      throw new RejectedException(400, "malformed request line");
    }
    return requestLineParts(b, from, sp1, sp2, to, false);
  }

  /**
   * The method, target and version of a request line b[from, to) whose two spaces are at
   * {@code sp1} and {@code sp2}, with a method and target that are not empty and hold no control,
   * DEL or other space. {@code plain}: the target holds no byte above DEL either (the quick scan
   * checked).
   */
  private static String[] requestLineParts(byte[] b, int from, int sp1, int sp2, int to, boolean plain)
      throws RejectedException {
    int known = Interned.METHODS.indexOf(b, from, sp1 - from);
    String method = known >= 0 ? Interned.METHODS.get(known) : new String(b, from, sp1 - from, StandardCharsets.ISO_8859_1);
    if (known < 0 && !Syntax.isToken(method)) {
      throw new RejectedException(400, "invalid method");
    }
    // RFC 3986: a target is ASCII only; the scans refused controls, DEL and spaces already.
    if (!plain && FieldLines.hasHighBytes(b, sp1 + 1, sp2)) {
      throw new RejectedException(400, "invalid character in request target");
    }
    String target = new String(b, sp1 + 1, sp2 - sp1 - 1, StandardCharsets.ISO_8859_1);
    return new String[] {method, target, Interned.VERSIONS.string(b, sp2 + 1, to - sp2 - 1)};
  }

  private static HttpVersion version(String v) throws RejectedException {
    switch (v) {
      case "HTTP/1.1":
        return HttpVersion.HTTP_1_1;
      case "HTTP/1.0":
        return HttpVersion.HTTP_1_0;
      default:
        // RFC 9110 2.5: a higher minor version is processed as the highest we implement.
        if (v.matches("HTTP/1\\.[2-9]")) {
          return HttpVersion.HTTP_1_1;
        }
        if (v.matches("HTTP/[0-9]\\.[0-9]")) {
          throw new RejectedException(505, "HTTP version " + v.substring(5) + " not supported");
        }
        throw new RejectedException(400, "malformed HTTP version");
    }
  }

  /** RFC 9112 3.2: an HTTP/1.1 request has exactly one valid Host; more than one is always refused. */
  private static void checkHost(HttpVersion version, HttpFields fields) throws RejectedException {
    HttpField host = null;
    for (int i = 0, n = fields.size(); i < n; i++) {
      HttpField f = fields.field(i);
      if (f.id() == FieldNames.HOST) {
        if (host != null) {
          throw new RejectedException(400, "more than one Host field");
        }
        host = f;
      }
    }
    if (host == null) {
      if (version == HttpVersion.HTTP_1_1) {
        throw new RejectedException(400, "missing Host field");
      }
      return;
    }
    // Checked in place: a proxy sends the target's authority instead, so the value is rarely read.
    boolean valid = host.source() != null
        ? Authority.isValidHostField(host.source(), host.valueStart(), host.valueStart() + host.valueLength())
        : Authority.isValidHostField(host.value());
    if (!valid) {
      throw new RejectedException(400, "invalid Host field");
    }
  }

}
