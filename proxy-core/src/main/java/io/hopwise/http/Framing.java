package io.hopwise.http;

import java.util.List;

/** Message body length rules of RFC 9112 section 6, for requests and responses. */
public final class Framing {
  private Framing() {}

  /** RFC 9112 6.1-6.3 for a request; every ambiguity is refused (http-rules B1-B4). */
  static BodyFraming ofRequest(HttpVersion version, HttpFields fields) throws RejectedException {
    boolean hasTe = fields.has(FieldNames.TRANSFER_ENCODING);
    boolean hasCl = fields.has(FieldNames.CONTENT_LENGTH);
    if (hasTe) {
      // RFC 9112 6.1: TE in HTTP/1.0 means faulty framing; we refuse rather than guess (B4).
      if (version == HttpVersion.HTTP_1_0) {
        throw new RejectedException(400, "Transfer-Encoding in an HTTP/1.0 request");
      }
      // RFC 9112 6.1: a request with both may be smuggling; refuse (B1).
      if (hasCl) {
        throw new RejectedException(400, "both Content-Length and Transfer-Encoding");
      }
      checkCodings(fields.tokens("Transfer-Encoding"), 400);
      return BodyFraming.CHUNKED;
    }
    if (hasCl) {
      return BodyFraming.length(contentLength(fields, 400));
    }
    return BodyFraming.NONE;
  }

  /** RFC 9112 6.3 for a response to {@code requestMethod}; faults map to 502 (B8). */
  static BodyFraming ofResponse(String requestMethod, int status, HttpFields fields)
      throws RejectedException {
    boolean hasTe = fields.has(FieldNames.TRANSFER_ENCODING);
    boolean hasCl = fields.has(FieldNames.CONTENT_LENGTH);
    if (hasTe && hasCl) {
      throw new RejectedException(502, "upstream response has both Content-Length and Transfer-Encoding");
    }
    long length = hasCl ? contentLength(fields, 502) : -1;
    if (requestMethod.equals("HEAD") || (status >= 100 && status < 200) || status == 204 || status == 304) {
      return BodyFraming.NONE;
    }
    if (hasTe) {
      checkCodings(fields.tokens("Transfer-Encoding"), 502);
      return BodyFraming.CHUNKED;
    }
    if (length >= 0) {
      return BodyFraming.length(length);
    }
    return BodyFraming.UNTIL_CLOSE;
  }

  /**
   * We relay only the chunked coding: its final coding must be chunked, it must appear once
   * (RFC 9112 6.1, 7), and any other coding is unsupported (501 on requests).
   */
  private static void checkCodings(List<String> codings, int status) throws RejectedException {
    if (codings.isEmpty() || !codings.get(codings.size() - 1).equals("chunked")) {
      throw new RejectedException(status, "Transfer-Encoding does not end with chunked");
    }
    if (codings.subList(0, codings.size() - 1).contains("chunked")) {
      throw new RejectedException(status, "chunked applied more than once");
    }
    if (codings.size() > 1) {
      throw new RejectedException(status == 400 ? 501 : status,
          "unsupported transfer coding '" + codings.get(0) + "'");
    }
  }

  /**
   * RFC 9112 6.3: Content-Length must be one non-negative decimal; identical duplicates (as lines
   * or list elements) collapse to one value, anything else is refused (B2).
   */
  static long contentLength(HttpFields fields, int status) throws RejectedException {
    // Almost always one line of plain digits: read it in place. Anything else takes the full rules.
    HttpField only = fields.single(FieldNames.CONTENT_LENGTH);
    long plain = only == null ? -1 : only.plainDecimal();
    if (plain >= 0) {
      return plain;
    }
    long value = -1;
    for (String line : fields.getAll("Content-Length")) {
      for (String element : line.split(",", -1)) {
        String v = element.strip();
        if (!Syntax.isDigits(v)) {
          throw new RejectedException(status, "invalid Content-Length '" + line + "'");
        }
        if (v.length() > HttpField.MAX_PLAIN_DIGITS) {
          throw new RejectedException(status, "Content-Length too large");
        }
        long n = Long.parseLong(v);
        if (value >= 0 && n != value) {
          throw new RejectedException(status, "differing Content-Length values");
        }
        value = n;
      }
    }
    return value;
  }
}
