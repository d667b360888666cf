package io.hopwise.policy;

import io.hopwise.policy.HostSpelling.Invalid;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The roles of a proxy (issue 26): which role a client has, and what that role decides about a
 * destination. Pure: values in, values out.
 *
 * <p>A client's role, first match wins: the static role when one is set (a sidecar: one role per
 * pod); the role listing its proxy-auth user; the first role whose client CIDRs contain its
 * address; the default role when one is named; else the built-in {@link Role#DEFAULT} (open).
 *
 * <p>A role's rules, first match wins: CONNECT when the role does not allow it: deny; a port
 * outside the role's ports (when it lists any): deny; a deny item: deny; an allow item: allow; no
 * item: allow when the role has no allow list, deny when it has one. A deny then counts as the
 * role's mode says: {@code enforce} refuses (403), {@code report} lets it through as
 * {@code report-deny}, and an {@code open} role allows everything without looking. The global
 * access rules ({@link DestinationPolicy}: the built-in SSRF denials, the global lists) apply
 * after the role, to every role, by name and again on the resolved address; only their own
 * {@code allowCidrs} exempt from the built-in denials.
 */
public final class Roles {
  public static final Roles NONE = new Roles(List.of(), null, null);

  private final Map<String, Compiled> byName = new LinkedHashMap<>();
  private final Map<String, Compiled> byUser = new LinkedHashMap<>();
  private final List<Compiled> byClient = new ArrayList<>();
  private final Compiled fallback;
  private final Compiled fixed;

  /** A role with its lists parsed, and the verdict of an open role made once (it is the same for every request). */
  private record Compiled(Role role, RoleRules allow, RoleRules deny, List<Cidr> clients, RoleVerdict open) {
    static Compiled of(Role r) {
      return new Compiled(r, RoleRules.of(r.allow()), RoleRules.of(r.deny()), r.clients().stream().map(Cidr::parse).toList(),
          new RoleVerdict(r.name(), RoleVerdict.Outcome.ALLOW, "open"));
    }
  }

  private Roles(List<Role> roles, String defaultRole, String staticRole) {
    for (Role r : roles) {
      Compiled c = Compiled.of(r);
      if (byName.put(r.name(), c) != null) {
        throw new IllegalArgumentException("role " + r.name() + " is defined twice");
      }
      for (String u : r.users()) {
        Compiled other = byUser.put(u, c);
        if (other != null) {
          throw new IllegalArgumentException("user " + u + " is in two roles (" + other.role().name() + ", " + r.name() + ")");
        }
      }
      if (!c.clients().isEmpty()) {
        byClient.add(c);
      }
    }
    this.fallback = named(defaultRole, "default");
    this.fixed = named(staticRole, "static");
  }

  /**
   * @param defaultRole the role of a client no role claims; null or empty: the built-in open role
   * @param staticRole the role of every client; null or empty: none
   * @throws IllegalArgumentException naming a bad rule, a role defined twice, a user in two roles,
   *     or a default or static role that is not defined
   */
  public static Roles of(List<Role> roles, String defaultRole, String staticRole) {
    return roles.isEmpty() && empty(defaultRole) && empty(staticRole) ? NONE : new Roles(roles, defaultRole, staticRole);
  }

  private static boolean empty(String s) {
    return s == null || s.isEmpty();
  }

  private Compiled named(String name, String key) {
    if (empty(name)) {
      return null;
    }
    Compiled c = byName.get(name);
    if (c == null) {
      throw new IllegalArgumentException(key + " must name a role of the list, got '" + name + "'");
    }
    return c;
  }

  /** True when no role is configured: every client has the built-in open role. */
  public boolean isEmpty() {
    return byName.isEmpty();
  }

  /** The role of a client with this proxy-auth user (null: none) from this address (null: unknown). */
  public Role roleOf(String user, IpAddress client) {
    return compiledFor(user, client).role();
  }

  private Compiled compiledFor(String user, IpAddress client) {
    if (fixed != null) {
      return fixed;
    }
    if (user != null) {
      Compiled c = byUser.get(user);
      if (c != null) {
        return c;
      }
    }
    if (client != null) {
      for (Compiled c : byClient) {
        for (Cidr cidr : c.clients()) {
          if (cidr.contains(client)) {
            return c;
          }
        }
      }
    }
    return fallback != null ? fallback : DEFAULT_COMPILED;
  }

  private static final Compiled DEFAULT_COMPILED = Compiled.of(Role.DEFAULT);

  /** What {@code role} (one of these roles, or the built-in) decides for {@code host:port}. */
  public RoleVerdict decide(Role role, String host, int port, boolean connect) {
    Compiled c = role == Role.DEFAULT ? DEFAULT_COMPILED : byName.get(role.name());
    if (c == null) {
      throw new IllegalArgumentException("not a role of this proxy: " + role.name());
    }
    if (role.mode() == Role.Mode.OPEN) {
      return c.open();
    }
    // One pass, first match wins; the host is classified once and each list searched once.
    String name = role.name();
    RoleVerdict.Outcome no = role.mode() == Role.Mode.ENFORCE ? RoleVerdict.Outcome.DENY : RoleVerdict.Outcome.REPORT_DENY;
    if (connect && !role.connect()) {
      return new RoleVerdict(name, no, "connect: false");
    }
    if (!role.ports().isEmpty() && !role.ports().contains(port)) {
      return new RoleVerdict(name, no, "ports " + role.ports());
    }
    HostSpelling.Host h = HostSpelling.classify(host);
    if (h instanceof Invalid) {
      return new RoleVerdict(name, no, "invalid host");
    }
    String item = c.deny().matching(h);
    if (item != null) {
      return new RoleVerdict(name, no, "deny " + item);
    }
    item = c.allow().matching(h);
    if (item != null) {
      return new RoleVerdict(name, RoleVerdict.Outcome.ALLOW, "allow " + item);
    }
    return c.allow().isEmpty() ? new RoleVerdict(name, RoleVerdict.Outcome.ALLOW, "no allow list")
        : new RoleVerdict(name, no, "not in allow");
  }
}
