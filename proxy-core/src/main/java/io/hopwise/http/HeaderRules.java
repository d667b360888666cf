package io.hopwise.http;

import io.hopwise.http.HopByHop.Reason;
import io.hopwise.http.HopByHop.Removed;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * What goes to the next hop: header rewriting as ordered, named stages over immutable values
 * (after Go's httputil.ReverseProxy and Envoy's conn_manager_utility). Never mutates its input.
 *
 * <p>Request stages: refuse abuse, strip hop-by-hop, keep {@code TE: trailers}, re-request an
 * allowed WebSocket upgrade, rebuild Host, append Via. Response stages: refuse abuse, strip hop-by-hop, append Via. Fields the proxy adds
 * come after stripping, so a {@code Connection} token cannot remove them.
 */
public final class HeaderRules {
  /** Envoy's cap on Connection tokens; more than this is refused (http-rules A5). */
  public static final int MAX_CONNECTION_TOKENS = 10;

  /**
   * Fields a sender must not nominate: framing, routing, and fields this proxy sets itself.
   * Nominating them is hop-by-hop abuse (http-rules A5).
   */
  static final Set<String> PROTECTED_REQUEST = Set.of("content-length", "transfer-encoding", "host",
      "via", "forwarded", "x-forwarded-for", "x-forwarded-host", "x-forwarded-proto", "x-forwarded-port");

  /** On responses, nominating framing fields would make us mis-frame the body: 502. */
  static final Set<String> PROTECTED_RESPONSE = Set.of("content-length", "transfer-encoding");

  // The same sets as FieldNames ids, for a one-test check on every message.
  private static final long PROTECTED_REQUEST_IDS = Nominations.idsOf(PROTECTED_REQUEST);
  private static final long PROTECTED_RESPONSE_IDS = Nominations.idsOf(PROTECTED_RESPONSE);

  private static final int UPGRADE_ID = FieldNames.id("upgrade");

  private HeaderRules() {}

  /** The result: fields to forward and every line removed, or a rejection. */
  public record Outcome(HttpFields fields, List<Removed> removed, Rejection rejection) {
    public boolean rejected() {
      return rejection != null;
    }

    /**
     * What to report as removed (logs, metrics): {@link #removed} less {@code TE} and
     * {@code Upgrade} when the rules sent them on in their own words ({@code TE: trailers}, an
     * allowed WebSocket upgrade). The received lines were dropped, but the field went on; listing
     * it as removed misled (issue 26).
     */
    public List<Removed> reported() {
      if (removed.isEmpty() || fields == null || (!fields.has(FieldNames.TE) && !fields.has(UPGRADE_ID))) {
        return removed;
      }
      List<Removed> out = new ArrayList<>(removed.size());
      for (Removed r : removed) {
        // Both are always stripped, so in the output they can only be the rules' own.
        boolean resent = r.name().equalsIgnoreCase("TE") && fields.has(FieldNames.TE)
            || r.name().equalsIgnoreCase("Upgrade") && fields.has(UPGRADE_ID);
        if (!resent) {
          out.add(r);
        }
      }
      return out.isEmpty() ? List.of() : java.util.Collections.unmodifiableList(out);
    }
  }

  /**
   * Facts the request rules need.
   *
   * @param received the protocol version of the message as received (for Via)
   * @param hostField the Host value to send, rebuilt from the target; null keeps the received one
   * @param via our Via entries; null adds no Via
   * @param webSocketUpgrade pass a WebSocket upgrade on (allowed, and the client asked for it)
   */
  public record RequestFacts(HttpVersion received, String hostField, Via via, boolean webSocketUpgrade) {
    /** Facts for a plain request, with our pseudonym (null: no Via). */
    public RequestFacts(HttpVersion received, String hostField, String pseudonym) {
      this(received, hostField, Via.of(pseudonym), false);
    }
  }

  public static Outcome request(HttpFields in, RequestFacts facts) {
    Nominations nominated = Nominations.of(in);
    Rejection abuse = refuseAbuse(in, nominated, PROTECTED_REQUEST, PROTECTED_REQUEST_IDS, 400);
    if (abuse != null) {
      return new Outcome(null, List.of(), abuse);
    }
    List<Removed> removed = new ArrayList<>(4);
    HttpFields.Builder out = HttpFields.builder(in.size() + 4); // room for what later stages add
    boolean newHost = facts.hostField() != null;
    if (newHost) {
      out.add("Host", facts.hostField(), FieldNames.HOST); // first, where Host conventionally is; received ones dropped
    }
    strip(in, nominated, newHost, out, removed);
    keepTeTrailers(in, out);
    if (facts.webSocketUpgrade()) {
      // RFC 9110 7.8: our own hop asks for the upgrade again; only websocket is passed on.
      out.add("Upgrade", "websocket");
      out.add("Connection", "Upgrade");
    }
    appendVia(out, facts.received(), facts.via());
    return new Outcome(out.build(), frozen(removed), null);
  }

  /** The same with our pseudonym rather than Via entries built once (tests, one-off use). */
  public static Outcome response(HttpFields in, HttpVersion received, String pseudonym) {
    return response(in, received, Via.of(pseudonym));
  }

  /** Rules for a final or 1xx response from the next hop. */
  public static Outcome response(HttpFields in, HttpVersion received, Via via) {
    Nominations nominated = Nominations.of(in);
    Rejection abuse = refuseAbuse(in, nominated, PROTECTED_RESPONSE, PROTECTED_RESPONSE_IDS, 502);
    if (abuse != null) {
      return new Outcome(null, List.of(), abuse);
    }
    List<Removed> removed = new ArrayList<>(4);
    HttpFields.Builder out = HttpFields.builder(in.size() + 1);
    strip(in, nominated, false, out, removed);
    appendVia(out, received, via);
    return new Outcome(out.build(), frozen(removed), null);
  }

  /**
   * Rules for a trailer section: the fixed list, whatever the message's header section nominated
   * in Connection ({@code nominatedBy}), and fields trailers must not carry (RFC 9110 6.5.1).
   */
  public static Outcome trailers(HttpFields trailers, HttpFields nominatedBy) {
    List<Removed> removed = new ArrayList<>();
    Map<String, Reason> nominated = new java.util.LinkedHashMap<>(Nominations.listed(nominatedBy));
    nominated.putAll(Nominations.listed(trailers));
    HttpFields.Builder out = HttpFields.builder();
    for (HttpField f : trailers) {
      String lower = f.name().toLowerCase(Locale.ROOT);
      Reason why = HopByHop.ALWAYS.get(lower);
      if (why == null) {
        why = nominated.get(lower);
      }
      if (why == null && HopByHop.NOT_IN_TRAILERS.contains(lower)) {
        why = Reason.NOT_ALLOWED_IN_TRAILERS;
      }
      if (why == null) {
        out.add(f);
      } else {
        removed.add(new Removed(f.name(), why));
      }
    }
    return new Outcome(out.build(), frozen(removed), null);
  }

  /** A read-only view of a list nothing else holds: no copy. */
  private static List<Removed> frozen(List<Removed> removed) {
    return removed.isEmpty() ? List.of() : java.util.Collections.unmodifiableList(removed);
  }

  /** Stage 1 (A5): too many Connection tokens, or a protected field nominated. */
  private static Rejection refuseAbuse(HttpFields in, Nominations nominated, Set<String> protectedFields,
      long protectedIds, int status) {
    int count = nominated.tokenCount();
    if (count > MAX_CONNECTION_TOKENS) {
      return new Rejection(status, "too many Connection tokens (" + count + ", limit " + MAX_CONNECTION_TOKENS + ")");
    }
    if (nominated.namesAnyOf(protectedIds)) {
      // Rare: name the first one nominated, in the order listed.
      for (String name : Nominations.listed(in).keySet()) {
        if (protectedFields.contains(name)) {
          return new Rejection(status, "Connection must not name the end-to-end field '" + name + "'");
        }
      }
    }
    return null;
  }

  /**
   * Stage 2 (A1-A3): drop what Connection/Proxy-Connection name, then the fixed list, and the
   * received Host lines when a new one leads {@code out}.
   */
  private static void strip(HttpFields in, Nominations nominated, boolean dropHost, HttpFields.Builder out,
      List<Removed> removed) {
    long goes = HopByHop.ALWAYS_IDS | nominated.ids() | (dropHost ? 1L << FieldNames.HOST : 0);
    boolean othersGo = nominated.namesOthers();
    for (int i = 0, n = in.size(); i < n; i++) {
      HttpField f = in.field(i);
      int id = f.id();
      // Most lines: a known name nothing removes, passed on after one bit test.
      if (id != FieldNames.NONE ? (goes & (1L << id)) == 0 : !othersGo) {
        out.add(f);
        continue;
      }
      Reason why = nominated.isEmpty() ? null : nominated.reason(f);
      if (why == null) {
        why = HopByHop.always(f);
      }
      if (why != null) {
        removed.add(new Removed(f.name(), why));
      } else if (!(dropHost && id == FieldNames.HOST)) {
        out.add(f);
      }
    }
  }

  /** Stage 3 (A4, RFC 9110 10.1.4): pass {@code TE: trailers} on only if the client sent it. */
  private static void keepTeTrailers(HttpFields in, HttpFields.Builder out) {
    if (in.has(FieldNames.TE) && in.hasToken("TE", "trailers")) {
      out.add("TE", "trailers");
      out.add("Connection", "TE");
    }
  }

  /** Last stage (D1, RFC 9110 7.6.3): record this hop, keeping earlier entries. */
  private static void appendVia(HttpFields.Builder out, HttpVersion received, Via via) {
    if (via != null) {
      out.add("Via", via.value(received), FieldNames.VIA);
    }
  }
}
