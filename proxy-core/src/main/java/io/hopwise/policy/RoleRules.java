package io.hopwise.policy;

import io.hopwise.policy.HostSpelling.Name;
import io.hopwise.policy.HostSpelling.Numeric;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A role's allow or deny list, parsed: host patterns ({@code example.com}: that name;
 * {@code *.example.com}: any name below it, not the name itself) and CIDRs. A CIDR matches only a
 * target written as an address; a pattern only a name (names compare lower case, without a
 * trailing dot). Which resolved address a name reaches is the global rules' concern
 * ({@link DestinationPolicy#checkResolved}).
 */
final class RoleRules {
  private final List<String> patterns;
  private final List<Cidr> cidrs;

  private RoleRules(List<String> patterns, List<Cidr> cidrs) {
    this.patterns = patterns;
    this.cidrs = cidrs;
  }

  static RoleRules of(List<String> items) {
    List<String> patterns = new ArrayList<>();
    List<Cidr> cidrs = new ArrayList<>();
    for (String item : items) {
      String s = item.strip();
      if (s.contains("/")) {
        cidrs.add(Cidr.parse(s));
      } else if (HostSpelling.classify(s) instanceof Numeric n) {
        cidrs.add(Cidr.of(n.address()));
      } else {
        String name = s.startsWith("*.") ? s.substring(2) : s;
        if (!(HostSpelling.classify(name) instanceof Name n) || !n.name().equals(name.toLowerCase(Locale.ROOT))) {
          throw new IllegalArgumentException("not a host pattern or CIDR: '" + item + "'");
        }
        patterns.add(s.toLowerCase(Locale.ROOT));
      }
    }
    return new RoleRules(List.copyOf(patterns), List.copyOf(cidrs));
  }

  boolean isEmpty() {
    return patterns.isEmpty() && cidrs.isEmpty();
  }

  /** The first item that matches {@code host} (as classified), or null. */
  String matching(HostSpelling.Host host) {
    if (host instanceof Name n) {
      for (String p : patterns) {
        if (p.startsWith("*.") ? n.name().endsWith(p.substring(1)) : n.name().equals(p)) {
          return p;
        }
      }
    } else if (host instanceof Numeric a) {
      for (Cidr c : cidrs) {
        for (IpAddress form : a.address().forms()) {
          if (c.contains(form)) {
            return c.toString();
          }
        }
      }
    }
    return null;
  }
}
