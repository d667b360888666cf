package io.hopwise.http;

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
   * belongs to one hop: an allowed WebSocket upgrade is asked for again by the request rules (with
   * its own {@code Connection: Upgrade}); {@code TE} is re-added as {@code TE: trailers} when the
   * client sent that (http-rules A2, A4).
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
   * The fixed list by {@link FieldNames} id (every name on it has one), so the check that runs
   * for every field of every message is an array read.
   */
  private static final Reason[] ALWAYS_BY_ID = new Reason[FieldNames.TABLE.size()];
  /** The fixed list's lower-case spellings by id, for {@link #fixedName}. */
  private static final String[] ALWAYS_NAME_BY_ID = new String[FieldNames.TABLE.size()];

  /** The fixed list's ids as bits, for the rules' one test per line. */
  static final long ALWAYS_IDS;

  static {
    ALWAYS_IDS = Nominations.idsOf(ALWAYS.keySet());
    ALWAYS.forEach((name, reason) -> {
      int id = FieldNames.id(name);
      if (id == FieldNames.NONE) {
        throw new ExceptionInInitializerError("hop-by-hop field without an id: " + name);
      }
      ALWAYS_BY_ID[id] = reason;
      ALWAYS_NAME_BY_ID[id] = name;
    });
  }

  /** The fixed-list reason for a field line, or null. */
  static Reason always(HttpField field) {
    return field.id() == FieldNames.NONE ? null : ALWAYS_BY_ID[field.id()];
  }

  /** The fixed list's own (lower-case) spelling of a field name in any case, or null. */
  public static String fixedName(String name) {
    int id = FieldNames.id(name);
    return id == FieldNames.NONE ? null : ALWAYS_NAME_BY_ID[id];
  }

  /** Fields a trailer section must not carry: framing and routing (RFC 9110 6.5.1). */
  static final Set<String> NOT_IN_TRAILERS = Set.of("content-length", "host", "content-type",
      "content-encoding", "content-range");

  /** True when the field is on the fixed list. */
  public static boolean isAlways(String name) {
    return ALWAYS.containsKey(name.toLowerCase(Locale.ROOT));
  }
}
