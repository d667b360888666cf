package io.hopwise.policy;

import java.util.ArrayList;
import java.util.List;

/**
 * Which way a destination goes (issue 27): straight to the origin, or through parent proxies in
 * order of preference. Pure: decided from the host as the client wrote it, before any lookup
 * (a corporate network often cannot resolve outside names; the parent does). Evaluated in order:
 * <ol>
 *   <li>the bypass list ({@code NO_PROXY}-style): direct;
 *   <li>the routes, first match wins;
 *   <li>the default route.
 * </ol>
 * Patterns are those of roles: {@code example.com}, {@code *.example.com} (below it, not it),
 * CIDRs (a target written as an address); a bypass item may also be {@code .example.com}, the
 * {@code NO_PROXY} spelling of "that name and below".
 */
public final class Routes {
  /** Everything direct: no parents configured. */
  public static final Routes DIRECT = new Routes(List.of(), new Route("default", List.of(), RoleRules.of(List.of())));

  /**
   * Where a destination goes. {@code name} says which rule chose ({@code bypass},
   * {@code routes[2]}, {@code default}); no parents means direct.
   */
  public record Choice(String name, List<Parent> parents) {
    public boolean direct() {
      return parents.isEmpty();
    }
  }

  private record Route(String name, List<Parent> parents, RoleRules match) {
    Choice choice() {
      return new Choice(name, parents);
    }
  }

  private final List<Route> ordered;
  private final Route fallback;

  private final boolean anyParent;

  private Routes(List<Route> ordered, Route fallback) {
    this.ordered = ordered;
    this.fallback = fallback;
    this.anyParent = !fallback.parents().isEmpty() || ordered.stream().anyMatch(r -> !r.parents().isEmpty());
  }

  /**
   * One route as written: its patterns and its parents (empty: direct).
   */
  public record Rule(List<String> match, List<Parent> via) {
    public Rule {
      match = List.copyOf(match);
      via = List.copyOf(via);
    }
  }

  /**
   * @param bypass destinations that always go direct, checked first
   * @param rules in order
   * @param defaultVia where everything else goes (empty: direct)
   * @throws IllegalArgumentException naming a pattern that is not one
   */
  public static Routes of(List<String> bypass, List<Rule> rules, List<Parent> defaultVia) {
    List<Route> ordered = new ArrayList<>();
    if (!bypass.isEmpty()) {
      ordered.add(new Route("bypass", List.of(), RoleRules.of(noProxySpelling(bypass))));
    }
    for (int i = 0; i < rules.size(); i++) {
      Rule r = rules.get(i);
      ordered.add(new Route("routes[" + i + "]", r.via(), RoleRules.of(r.match())));
    }
    return new Routes(List.copyOf(ordered), new Route("default", List.copyOf(defaultVia), RoleRules.of(List.of())));
  }

  /** {@code .example.com} (NO_PROXY's "that name and below") as the two patterns it means. */
  private static List<String> noProxySpelling(List<String> items) {
    List<String> out = new ArrayList<>();
    for (String item : items) {
      String s = item.strip();
      if (s.startsWith(".") && s.length() > 1) {
        out.add(s.substring(1));
        out.add("*" + s);
      } else {
        out.add(s);
      }
    }
    return out;
  }

  /** The route for {@code host} (a name or an address, as in the request). */
  public Choice route(String host) {
    if (ordered.isEmpty()) {
      return fallback.choice();
    }
    HostSpelling.Host h = HostSpelling.classify(host);
    for (Route r : ordered) {
      if (r.match().matching(h) != null) {
        return r.choice();
      }
    }
    return fallback.choice();
  }

  /** Whether any route goes through a parent. */
  public boolean anyParent() {
    return anyParent;
  }
}
