package io.hopwise.http;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Which fields belong to one connection only (RFC 9110 7.6.1) and why. */
public final class HopByHop {
  private HopByHop() {}

  /** Why a field was removed. */
  public enum Reason {
    /** Named in a Connection field (RFC 9110 7.6.1). */
    NAMED_IN_CONNECTION,
    /** Named in the legacy Proxy-Connection field, which we treat like Connection (http-rules A3). */
    NAMED_IN_PROXY_CONNECTION,
    /** Always hop-by-hop, named or not. */
    ALWAYS_HOP_BY_HOP,
    /** Credentials or challenges meant for this proxy, not the next hop. */
    MEANT_FOR_PROXY,
    /** A framing or routing field, which trailers must not carry (RFC 9110 6.5.1). */
    NOT_ALLOWED_IN_TRAILERS
  }

  /** A field line that did not go to the next hop. */
  public record Removed(String name, Reason reason) {}

  /**
   * Removed from every message whether or not Connection names them, lower-case. {@code Upgrade}
   * is here because we do not proxy upgrades (yet); {@code TE} is re-added as {@code TE: trailers}
   * when the client sent that (http-rules A2, A4).
   */
  public static final Map<String, Reason> ALWAYS = Map.of(
      "connection", Reason.ALWAYS_HOP_BY_HOP,
      "proxy-connection", Reason.ALWAYS_HOP_BY_HOP,
      "keep-alive", Reason.ALWAYS_HOP_BY_HOP,
      "te", Reason.ALWAYS_HOP_BY_HOP,
      "transfer-encoding", Reason.ALWAYS_HOP_BY_HOP,
      "upgrade", Reason.ALWAYS_HOP_BY_HOP,
      "trailer", Reason.ALWAYS_HOP_BY_HOP,
      "http2-settings", Reason.ALWAYS_HOP_BY_HOP,
      "proxy-authorization", Reason.MEANT_FOR_PROXY,
      "proxy-authenticate", Reason.MEANT_FOR_PROXY);

  /**
   * The fixed list by name length, so a field name is compared (case-insensitively, no copy)
   * only with the few entries of its length: this runs for every field of every message.
   */
  private static final String[][] ALWAYS_BY_LENGTH = Interned.byLength(ALWAYS.keySet());

  /** The fixed-list reason for a field name in any case, or null. */
  static Reason always(String name) {
    String fixed = fixedName(name);
    return fixed == null ? null : ALWAYS.get(fixed);
  }

  /** The fixed list's own (lower-case) spelling of a field name in any case, or null. */
  public static String fixedName(String name) {
    if (name.length() >= ALWAYS_BY_LENGTH.length) {
      return null;
    }
    String[] candidates = ALWAYS_BY_LENGTH[name.length()];
    if (candidates != null) {
      for (String c : candidates) {
        if (c.equalsIgnoreCase(name)) {
          return c;
        }
      }
    }
    return null;
  }

  /** Fields a trailer section must not carry: framing and routing (RFC 9110 6.5.1). */
  static final Set<String> NOT_IN_TRAILERS = Set.of("content-length", "host", "content-type",
      "content-encoding", "content-range");

  /**
   * The field names nominated by Connection and Proxy-Connection, lower-case, each mapped to the
   * reason that applies (Connection wins when both name a field). Every line, comma lists, OWS,
   * empty elements and any case are accepted (RFC 9110 5.6.1, 7.6.1). Read-only for callers
   * (not wrapped: a wrapper's iterators would be allocated per field in the rules' hot loop).
   */
  public static Map<String, Reason> nominated(HttpFields fields) {
    if (!fields.contains("Connection") && !fields.contains("Proxy-Connection")) {
      return Map.of(); // most requests: nothing nominated, nothing to allocate
    }
    Map<String, Reason> names = new LinkedHashMap<>();
    java.util.List<String> tokens = new java.util.ArrayList<>(2);
    for (HttpField f : fields) {
      if (f.is("Connection")) {
        tokens.clear();
        HttpFields.addTokens(f.value(), tokens);
        tokens.forEach(t -> names.put(t, Reason.NAMED_IN_CONNECTION));
      }
    }
    for (HttpField f : fields) {
      if (f.is("Proxy-Connection")) {
        tokens.clear();
        HttpFields.addTokens(f.value(), tokens);
        tokens.forEach(t -> names.putIfAbsent(t, Reason.NAMED_IN_PROXY_CONNECTION));
      }
    }
    return names;
  }

  /** True when the field is on the fixed list. */
  public static boolean isAlways(String name) {
    return ALWAYS.containsKey(name.toLowerCase(Locale.ROOT));
  }

  /** The nominated tokens of a message, counted as listed (for the A5 cap). */
  static int tokenCount(HttpFields fields) {
    return fields.tokens("Connection").size() + fields.tokens("Proxy-Connection").size();
  }
}
