package io.hopwise.http;

import io.hopwise.http.HopByHop.Reason;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What a message's Connection and Proxy-Connection fields nominate as hop-by-hop (RFC 9110 7.6.1),
 * in the form the rules use on every message: names with a {@link FieldNames} id as bits, so a
 * line is checked with one bit test; other names, rare, as a short list. Every line, comma lists,
 * OWS, empty elements and any case are accepted (RFC 9110 5.6.1), and Connection wins when both
 * name a field.
 *
 * <p>The one place that decides what a message nominates: {@link #of} for the rules' hot path,
 * {@link #listed} for the rare uses that need the names themselves, in order (trailers, the
 * abuse message).
 */
final class Nominations {
  static final Nominations NONE = new Nominations();

  /** Ids named in Connection. */
  private long byConnection;
  /** Ids named in Proxy-Connection. */
  private long byProxyConnection;
  /** Lower-case names without an id, and why each goes; usually empty. */
  private List<String> otherNames = List.of();
  private List<Reason> otherReasons = List.of();
  /** Elements as listed, repeats included (for the cap on Connection tokens). */
  private int tokens;

  private Nominations() {}

  static Nominations of(HttpFields fields) {
    boolean connection = fields.has(FieldNames.CONNECTION);
    if (!connection && !fields.has(FieldNames.PROXY_CONNECTION)) {
      return NONE; // most messages
    }
    Nominations n = new Nominations();
    // Connection first, so that it wins for a name both fields list.
    if (connection) {
      n.add(fields, FieldNames.CONNECTION, Reason.NAMED_IN_CONNECTION);
    }
    n.add(fields, FieldNames.PROXY_CONNECTION, Reason.NAMED_IN_PROXY_CONNECTION);
    return n;
  }

  private void add(HttpFields fields, int id, Reason reason) {
    for (int i = 0, n = fields.size(); i < n; i++) {
      HttpField f = fields.field(i);
      if (f.id() == id) {
        f.forEachElement((b, a, e) -> {
          tokens++;
          int named = FieldNames.TABLE.indexOfIgnoreCase(b, a, e - a);
          if (named != FieldNames.NONE) {
            nominate(named, reason);
          } else {
            addOther(new String(b, a, e - a, StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT), reason);
          }
          return false;
        });
      }
    }
  }

  private void nominate(int id, Reason reason) {
    if (reason == Reason.NAMED_IN_CONNECTION) {
      byConnection |= 1L << id;
    } else {
      byProxyConnection |= 1L << id;
    }
  }

  /** A lower-case name without an id ("close", say), kept once, with the first reason given. */
  private void addOther(String name, Reason reason) {
    if (otherNames.isEmpty()) {
      otherNames = new ArrayList<>(2);
      otherReasons = new ArrayList<>(2);
    }
    if (!otherNames.contains(name)) {
      otherNames.add(name);
      otherReasons.add(reason);
    }
  }

  boolean isEmpty() {
    return tokens == 0;
  }

  int tokenCount() {
    return tokens;
  }

  /** The ids nominated by either field, as bits. */
  long ids() {
    return byConnection | byProxyConnection;
  }

  /** Whether a name without an id is nominated. */
  boolean namesOthers() {
    return !otherNames.isEmpty();
  }

  /** Whether a name with one of these ids is nominated. */
  boolean namesAnyOf(long ids) {
    return (ids() & ids) != 0;
  }

  /** Why a line goes because it is nominated, or null if it is not. */
  Reason reason(HttpField f) {
    int id = f.id();
    if (id != FieldNames.NONE) {
      long bit = 1L << id;
      return (byConnection & bit) != 0 ? Reason.NAMED_IN_CONNECTION
          : (byProxyConnection & bit) != 0 ? Reason.NAMED_IN_PROXY_CONNECTION : null;
    }
    for (int i = 0; i < otherNames.size(); i++) {
      if (otherNames.get(i).equalsIgnoreCase(f.name())) {
        return otherReasons.get(i);
      }
    }
    return null;
  }

  /**
   * The names nominated, lower-case, in the order listed, each with its reason (Connection wins
   * when both fields name one). Read-only for callers.
   */
  static Map<String, Reason> listed(HttpFields fields) {
    if (!fields.has(FieldNames.CONNECTION) && !fields.has(FieldNames.PROXY_CONNECTION)) {
      return Map.of(); // most messages: nothing nominated, nothing to allocate
    }
    Map<String, Reason> names = new LinkedHashMap<>(8);
    for (String t : fields.tokens("Connection")) {
      names.putIfAbsent(t, Reason.NAMED_IN_CONNECTION);
    }
    for (String t : fields.tokens("Proxy-Connection")) {
      names.putIfAbsent(t, Reason.NAMED_IN_PROXY_CONNECTION);
    }
    return names;
  }

  /** The ids of these names, as bits; each must have one. */
  static long idsOf(Iterable<String> names) {
    long ids = 0;
    for (String name : names) {
      int id = FieldNames.id(name);
      if (id == FieldNames.NONE) {
        throw new IllegalArgumentException("no field id for " + name);
      }
      ids |= 1L << id;
    }
    return ids;
  }
}
