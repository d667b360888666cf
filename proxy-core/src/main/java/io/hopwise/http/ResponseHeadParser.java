package io.hopwise.http;

import java.nio.charset.StandardCharsets;

/**
 * Strict parser of response heads from the next hop (RFC 9112 4, 6.3). Faults are 502s
 * (http-rules B8): the upstream connection that sent them is never reused.
 */
public final class ResponseHeadParser {
  private final int maxHeadBytes;
  private final int maxFields;

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
          : FieldLines.wholeSection(b, lineEnd, length, maxFields);
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
      FieldLines.checkLineBytes(b, 0, lineEnd - 2, 502);
      String line = new String(b, 0, lineEnd - 2, StandardCharsets.ISO_8859_1);
      // status-line = HTTP-version SP status-code SP [ reason-phrase ] (RFC 9112 4)
      if (line.length() < 12 || line.charAt(8) != ' ' || (line.length() > 12 && line.charAt(12) != ' ')) {
        throw new RejectedException(502, "malformed upstream status line");
      }
      HttpVersion version = switch (line.substring(0, 8)) {
        case "HTTP/1.1" -> HttpVersion.HTTP_1_1;
        case "HTTP/1.0" -> HttpVersion.HTTP_1_0;
        default -> throw new RejectedException(502, "unsupported upstream HTTP version");
      };
      String code = line.substring(9, 12);
      if (!Syntax.isDigits(code) || code.charAt(0) == '0') {
        throw new RejectedException(502, "malformed upstream status code");
      }
      int status = Integer.parseInt(code);
      String reason = line.length() > 13 ? line.substring(13) : "";
      HttpFields fields = whole != null ? whole.fields() : FieldLines.parseSection(b, lineEnd, end, maxFields, 502, 502);
      BodyFraming framing = Framing.ofResponse(requestMethod, status, fields);
      return new ParseOutcome.Parsed<>(new ResponseHead(version, status, reason, fields, framing), end);
    } catch (RejectedException e) {
      return new ParseOutcome.Refused<>(e.rejection());
    }
  }
}
