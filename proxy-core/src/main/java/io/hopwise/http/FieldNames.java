package io.hopwise.http;

/**
 * The field names that arrive most often and those the proxy looks up, each with a small id.
 * A field line learns its id once, when it is made; after that, "is this Host?" is an integer
 * comparison and "is there a Transfer-Encoding?" one bit of {@link HttpFields}' presence mask,
 * instead of a case-insensitive comparison with every line (RFC 9110 5.1: names are
 * case-insensitive, so the id is too).
 */
final class FieldNames {
  /** Index = id. At most 64, one bit each in a long. */
  static final Interned TABLE = new Interned(
      "Host", "User-Agent", "Accept", "Accept-Encoding", "Accept-Language", "Accept-Ranges",
      "Connection", "Proxy-Connection", "Keep-Alive", "Content-Length", "Content-Type",
      "Content-Encoding", "Transfer-Encoding", "Cookie", "Set-Cookie", "Referer", "Origin",
      "Cache-Control", "Pragma", "Upgrade-Insecure-Requests", "If-None-Match", "If-Modified-Since",
      "Date", "Server", "Last-Modified", "ETag", "Expires", "Vary", "Location", "Via",
      "Authorization", "Proxy-Authorization", "Proxy-Authenticate", "X-Forwarded-For",
      "X-Forwarded-Host", "X-Forwarded-Proto", "X-Forwarded-Port", "Forwarded", "DNT", "Sec-GPC",
      "Priority", "Range", "TE", "Trailer", "Upgrade", "HTTP2-Settings", "Age", "Content-Range",
      "Sec-Fetch-Site", "Sec-Fetch-Mode", "Sec-Fetch-Dest", "Sec-Fetch-User", "Max-Forwards",
      "Expect", "Sec-WebSocket-Key", "Sec-WebSocket-Version");

  /** No id: a name not in the table. */
  static final int NONE = -1;

  // The ids the rules and the parser ask about on every message.
  static final int HOST = id("Host");
  static final int CONNECTION = id("Connection");
  static final int PROXY_CONNECTION = id("Proxy-Connection");
  static final int TRANSFER_ENCODING = id("Transfer-Encoding");
  static final int CONTENT_LENGTH = id("Content-Length");
  static final int TE = id("TE");
  static final int VIA = id("Via");

  static {
    // Below 64: bit 63 stays unused, so a stray 1L << NONE (bit 63) can never alias a real id.
    if (TABLE.size() >= Long.SIZE) {
      throw new ExceptionInInitializerError("more field names than bits in the presence mask");
    }
  }

  private FieldNames() {}

  /** The id of a name in any case, or {@link #NONE}. */
  static int id(String name) {
    return TABLE.indexOfIgnoreCase(name);
  }
}
