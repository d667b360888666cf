package io.hopwise.http;

import java.util.Locale;

/** The four forms of request-target (RFC 9112 3.2). */
public sealed interface RequestTarget {

  /** absolute-form, what clients send to a forward proxy: {@code http://host:port/path?q}. */
  record Absolute(Origin origin, String pathAndQuery) implements RequestTarget {}

  /** origin-form: {@code /path?q}; only meaningful with a configured default upstream. */
  record OriginForm(String pathAndQuery) implements RequestTarget {}

  /** authority-form, CONNECT only: {@code host:port}, port required (RFC 9110 9.3.6). */
  record AuthorityForm(Authority authority) implements RequestTarget {}

  /** asterisk-form, OPTIONS only. */
  record Asterisk() implements RequestTarget {}

  /** A parsed target, or the rejection. Exactly one of the two is non-null. */
  record Result(RequestTarget target, Rejection rejection) {
    static Result ok(RequestTarget t) {
      return new Result(t, null);
    }

    static Result no(int status, String reason) {
      return new Result(null, new Rejection(status, reason));
    }
  }

  static Result parse(String method, String raw) {
    if (method.equals("CONNECT")) {
      Authority a = Authority.parse(raw, -1);
      return a == null
          ? Result.no(400, "CONNECT needs an authority-form target host:port")
          : Result.ok(new AuthorityForm(a));
    }
    if (raw.equals("*")) {
      return method.equals("OPTIONS")
          ? Result.ok(new Asterisk())
          : Result.no(400, "asterisk-form is only for OPTIONS");
    }
    if (raw.startsWith("/")) {
      return raw.startsWith("//")
          ? Result.no(400, "origin-form target must not start with //")
          : Result.ok(new OriginForm(raw));
    }
    int schemeEnd = raw.indexOf("://");
    if (schemeEnd <= 0) {
      return Result.no(400, "request target is neither absolute-form nor origin-form");
    }
    // The two schemes we take, matched in place: no substring per request for the usual case.
    String scheme = schemeEnd == 4 && raw.regionMatches(true, 0, "http", 0, 4) ? "http"
        : schemeEnd == 5 && raw.regionMatches(true, 0, "https", 0, 5) ? "https"
        : raw.substring(0, schemeEnd).toLowerCase(Locale.ROOT);
    if (scheme.equals("ws") || scheme.equals("wss")) {
      // RFC 6455 3: ws and wss URIs name http and https origins (WebSocket clients send them).
      scheme = scheme.equals("ws") ? "http" : "https";
    } else if (!scheme.equals("http") && !scheme.equals("https")) {
      return Result.no(501, "scheme '" + scheme + "' is not supported (http, https, ws and wss only)");
    }
    if (raw.indexOf('#') >= 0) {
      return fragment();
    }
    int authorityStart = schemeEnd + 3;
    int pathStart = authorityEnd(raw, authorityStart);
    String authorityText = raw.substring(authorityStart, pathStart);
    if (authorityText.indexOf('@') >= 0) {
      return Result.no(400, "userinfo in the request target is not allowed");
    }
    Authority a = Authority.parse(authorityText, scheme.equals("https") ? 443 : 80);
    if (a == null) {
      return Result.no(400, "invalid host or port in request target");
    }
    return Result.ok(new Absolute(new Origin(scheme, a.host(), a.port()), pathAndQuery(method, raw, pathStart)));
  }

  private static Result fragment() {
    return Result.no(400, "request target must not contain a fragment");
  }

  /** Where an authority that starts at {@code from} ends: at the first '/' or '?', or the end. */
  private static int authorityEnd(String raw, int from) {
    int i = from;
    while (i < raw.length() && raw.charAt(i) != '/' && raw.charAt(i) != '?') {
      i++;
    }
    return i;
  }

  /** The path and query that start at {@code pathStart}. */
  private static String pathAndQuery(String method, String raw, int pathStart) {
    // RFC 9112 3.2.1: an empty path becomes "/", or "*" for OPTIONS (RFC 9112 3.2.4).
    if (pathStart == raw.length()) {
      return method.equals("OPTIONS") ? "*" : "/";
    }
    return raw.charAt(pathStart) == '?' ? "/" + raw.substring(pathStart) : raw.substring(pathStart);
  }

  /**
   * Parses request targets, remembering the last few absolute-form origins. Clients name the same
   * scheme and authority request after request; when a target starts with exactly the text that
   * made a remembered origin, followed by '/', '?' or nothing, that origin is used again. The
   * result equals {@link #parse}'s, because the origin depends on that text alone (and at most one
   * remembered text can match: an authority holds no '/' or '?'); what it saves is the authority's
   * parse, its strings, and (the same origin object serving each request) the Host value and the
   * pool lookup's string comparisons. One per event loop, shared by its connections (issue 28: one
   * per connection was 230 B an idle connection kept), so it holds {@link #SLOTS} origins, replaced
   * in turn. Confined to one event loop.
   */
  final class Memo {
    static final int SLOTS = 4;
    private final String[] prefixes = new String[SLOTS]; // scheme "://" authority, exactly as received
    private final Origin[] origins = new Origin[SLOTS];
    private int nextSlot;

    public Result parse(String method, String raw) {
      if (!method.equals("CONNECT")) {
        for (int i = 0; i < SLOTS; i++) {
          String p = prefixes[i];
          if (p != null && raw.startsWith(p)) {
            int end = p.length();
            if (end == raw.length() || raw.charAt(end) == '/' || raw.charAt(end) == '?') {
              // The prefix held no fragment, or it would not have parsed.
              return raw.indexOf('#', end) >= 0
                  ? fragment()
                  : Result.ok(new Absolute(origins[i], pathAndQuery(method, raw, end)));
            }
          }
        }
      }
      Result r = RequestTarget.parse(method, raw);
      if (r.target() instanceof Absolute a) {
        prefixes[nextSlot] = raw.substring(0, authorityEnd(raw, raw.indexOf("://") + 3));
        origins[nextSlot] = a.origin();
        nextSlot = (nextSlot + 1) % SLOTS;
      }
      return r;
    }
  }
}
