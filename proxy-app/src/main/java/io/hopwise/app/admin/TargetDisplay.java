package io.hopwise.app.admin;

/**
 * How the connection view shows a request target (issue 24, privacy): the query string never (it
 * often carries tokens), the path only when allowed. {@code http://h:8080/a/b?token=x} is
 * {@code http://h:8080/a/b}, or {@code http://h:8080} with paths hidden; a CONNECT authority stays
 * as it is; an origin-form {@code /a?b} is {@code /a} (or {@code /...}). Pure.
 */
final class TargetDisplay {
  private TargetDisplay() {}

  static String of(String target, boolean hidePaths) {
    if (target == null || target.isEmpty() || target.equals("-") || target.equals("*")) {
      return target;
    }
    int schemeEnd = target.indexOf("://");
    if (schemeEnd < 0) {
      if (!target.startsWith("/")) {
        return target; // CONNECT's authority form: host:port
      }
      return hidePaths ? "/..." : withoutQuery(target);
    }
    int pathStart = target.indexOf('/', schemeEnd + 3);
    int queryStart = target.indexOf('?', schemeEnd + 3);
    int authorityEnd = pathStart < 0 ? (queryStart < 0 ? target.length() : queryStart)
        : queryStart < 0 ? pathStart : Math.min(pathStart, queryStart);
    String authority = target.substring(0, authorityEnd);
    if (hidePaths || pathStart < 0 || (queryStart >= 0 && queryStart < pathStart)) {
      return authority;
    }
    return withoutQuery(target);
  }

  private static String withoutQuery(String s) {
    int q = s.indexOf('?');
    int f = s.indexOf('#');
    int end = q < 0 ? f : f < 0 ? q : Math.min(q, f);
    return end < 0 ? s : s.substring(0, end);
  }
}
