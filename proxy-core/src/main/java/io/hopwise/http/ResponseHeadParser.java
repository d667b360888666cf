package io.hopwise.http;

/**
 * Strict parser of response heads from the next hop (RFC 9112 4, 6.3). Faults are 502s
 * (http-rules B8): the upstream connection that sent them is never reused. Like
 * {@link RequestHeadParser}, one per connection: it keeps the order of the last head's names as a hint.
 */
public final class ResponseHeadParser {
  private final int maxHeadBytes;
  private final int maxFields;
  /** The names of the last response on this connection, guessed first (see {@link FieldOrder}). */
  private final FieldOrder order = new FieldOrder();

  public ResponseHeadParser(int maxHeadBytes, int maxFields) {
    this.maxHeadBytes = maxHeadBytes;
    this.maxFields = maxFields;
  }

  /**
   * Parses b[0, length), which, as for {@link RequestHeadParser#parse}, nothing may write to again.
   *
   * @param requestMethod the method of the request this answers (HEAD responses have no body)
   */
  public ParseOutcome<ResponseHead> parse(byte[] b, int length, String requestMethod) {
    try {
      int lineEnd = FieldLines.lineEnd(b, 0, length, 502);
      // As in RequestHeadParser: one pass when the section is whole and valid.
      FieldLines.Section whole = lineEnd < 0 || length > maxHeadBytes || !FieldLines.endsWithEmptyLine(b, length)
          ? null
          : FieldLines.wholeSection(b, lineEnd, length, maxFields, order);
      int end = whole != null ? whole.end() : lineEnd < 0 ? -1 : FieldLines.headEnd(b, lineEnd, length, 502);
      if (end < 0) {
        if (length > maxHeadBytes) {
          throw new RejectedException(502, "upstream response head larger than " + maxHeadBytes + " bytes");
        }
        return new ParseOutcome.NeedMore<>();
      }
      if (end > maxHeadBytes) {
        throw new RejectedException(502, "upstream response head larger than " + maxHeadBytes + " bytes");
      }
      int lineLength = lineEnd - 2;
      FieldLines.checkLineBytes(b, 0, lineLength, 502);
      // status-line = HTTP-version SP status-code SP [ reason-phrase ] (RFC 9112 4), read from the
      // bytes: only the reason becomes a string, a shared one when it is a common phrase.
      if (lineLength < 12 || b[8] != ' ' || (lineLength > 12 && b[12] != ' ')) {
        throw new RejectedException(502, "malformed upstream status line");
      }
      HttpVersion version = switch (Interned.VERSIONS.indexOf(b, 0, 8)) {
        case 0 -> HttpVersion.HTTP_1_1;
        case 1 -> HttpVersion.HTTP_1_0;
        default -> throw new RejectedException(502, "unsupported upstream HTTP version");
      };
      int status = statusCode(b[9], b[10], b[11]);
      String reason = lineLength > 13 ? Interned.REASONS.string(b, 13, lineLength - 13) : "";
      HttpFields fields = whole != null ? whole.fields() : FieldLines.parseSection(b, lineEnd, end, maxFields, 502, 502);
      BodyFraming framing = Framing.ofResponse(requestMethod, status, fields);
      return new ParseOutcome.Parsed<>(new ResponseHead(version, status, reason, fields, framing), end);
    } catch (RejectedException e) {
      return new ParseOutcome.Refused<>(e.rejection());
    }
  }

  /** Three digits, the first not 0 (RFC 9112 4: status-code = 3DIGIT; RFC 9110 15: 100-599 in use). */
  private static int statusCode(byte hundreds, byte tens, byte units) throws RejectedException {
    if (hundreds < '1' || hundreds > '9' || tens < '0' || tens > '9' || units < '0' || units > '9') {
      throw new RejectedException(502, "malformed upstream status code");
    }
    return (hundreds - '0') * 100 + (tens - '0') * 10 + (units - '0');
  }
}
