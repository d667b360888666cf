package io.hopwise.options;

import static java.util.Objects.requireNonNullElse;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.hopwise.http.Origin;
import io.hopwise.policy.Parent;
import io.hopwise.policy.Routes;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code parents:} parent proxies and the routes to them (issue 27), as written in the config.
 * Credentials are named here (a file, an environment variable), read by the program, and given
 * to {@link #routes} as values; they never appear in this record's YAML.
 *
 * @param list the parents
 * @param routes in order, first match wins
 * @param defaultVia YAML key {@code default}: where every other destination goes; {@code direct}
 *     (the default) or parent names, in order of preference
 * @param bypass destinations that always go direct ({@code NO_PROXY}-style), checked first
 * @param downFor how long a parent that refused or timed out a connection is skipped
 */
public record ParentsOptions(List<ParentSpec> list, List<RouteSpec> routes,
    @JsonProperty("default") List<String> defaultVia, List<String> bypass, Duration downFor) {
  public static final String DIRECT = "direct";
  public static final ParentsOptions DEFAULTS = of(null, null, null, null, null);

  /**
   * One parent as written.
   *
   * @param url {@code http://host:port} or {@code https://host:port}, no credentials in it
   * @param credentialsFile a file whose first line is {@code user:password}
   * @param credentialsEnv an environment variable holding {@code user:password}
   * @param inlineCredentials {@code user:password} from the userinfo of a URL given by
   *     {@code --parent} or {@code HOPWISE_PARENT} (as curl's {@code -x} takes it); never shown
   */
  public record ParentSpec(String name, String url, String credentialsFile, String credentialsEnv,
      @JsonIgnore String inlineCredentials) {
    public ParentSpec {
      if (name == null || !name.matches("[A-Za-z0-9._-]+")) {
        throw new IllegalArgumentException("every parent needs a name of letters, digits, '.', '_' or '-', got '" + name + "'");
      }
      if (name.equals(DIRECT)) {
        throw new IllegalArgumentException("'direct' is the route without a parent; a parent cannot be named so");
      }
      proxy(name, url);
      if (credentialsFile != null && credentialsEnv != null) {
        throw new IllegalArgumentException("parent " + name + ": give credentialsFile or credentialsEnv, not both");
      }
    }

    @JsonCreator
    public static ParentSpec of(@JsonProperty("name") String name, @JsonProperty("url") String url,
        @JsonProperty("credentialsFile") String credentialsFile, @JsonProperty("credentialsEnv") String credentialsEnv) {
      if (url != null && url.contains("@")) {
        throw new IllegalArgumentException("parent " + name + ": no credentials in url; put user:password in a file"
            + " (credentialsFile) or an environment variable (credentialsEnv)");
      }
      return new ParentSpec(name, url, credentialsFile, credentialsEnv, null);
    }

    /**
     * A parent from a URL that may carry {@code user:password@} (percent-encoded, as in
     * {@code HTTP_PROXY}): the one of {@code --parent} and {@code HOPWISE_PARENT}.
     */
    public static ParentSpec fromUrl(String name, String url) {
      String rest = url;
      String credentials = null;
      int at = url.lastIndexOf('@');
      int schemeEnd = url.indexOf("://");
      if (at > schemeEnd && schemeEnd > 0) {
        credentials = percentDecode(url.substring(schemeEnd + 3, at));
        rest = url.substring(0, schemeEnd + 3) + url.substring(at + 1);
      }
      return new ParentSpec(name, rest, null, null, credentials);
    }

    /** The parent's address; an error names what is wrong. */
    static Origin proxy(String name, String url) {
      if (url == null) {
        throw new IllegalArgumentException("parent " + name + ": url must be given (http://host:port)");
      }
      String u = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
      Origin o = Origin.parse(u);
      if (o == null || !(u.startsWith("http://") || u.startsWith("https://"))) {
        throw new IllegalArgumentException("parent " + name + ": url must be http://host:port or https://host:port, got '" + url + "'");
      }
      // A proxy has no default port everyone agrees on (curl assumes 1080, most proxies listen on 3128 or 8080).
      if (!u.matches("https?://.*:[0-9]+")) {
        throw new IllegalArgumentException("parent " + name + ": url must name the port, e.g. " + u + ":3128");
      }
      return o;
    }

    @Override
    public String toString() {
      return name + " " + url;
    }
  }

  /**
   * One route as written.
   *
   * @param match host patterns ({@code example.com}, {@code *.example.com}) and CIDRs
   * @param via {@code direct}, or parent names in order of preference (a name alone or a list)
   */
  public record RouteSpec(List<String> match, List<String> via) {
    public RouteSpec {
      match = List.copyOf(match);
      via = List.copyOf(via);
      if (match.isEmpty()) {
        throw new IllegalArgumentException("every route needs match: [patterns]");
      }
      if (via.isEmpty()) {
        throw new IllegalArgumentException("every route needs via: direct or parent names");
      }
    }

    @JsonCreator
    public static RouteSpec of(@JsonProperty("match") List<String> match, @JsonProperty("via") Object via) {
      return new RouteSpec(requireNonNullElse(match, List.of()), names(via, "via"));
    }
  }

  public ParentsOptions {
    list = List.copyOf(list);
    routes = List.copyOf(routes);
    defaultVia = List.copyOf(defaultVia);
    bypass = List.copyOf(bypass);
    if (downFor.isNegative() || downFor.isZero() || downFor.compareTo(Duration.ofHours(1)) > 0) {
      throw new IllegalArgumentException("downFor must be between 1ms and 1h, got " + downFor);
    }
    Set<String> names = new HashSet<>();
    for (ParentSpec p : list) {
      if (!names.add(p.name())) {
        throw new IllegalArgumentException("two parents are named " + p.name());
      }
    }
    for (int i = 0; i < routes.size(); i++) {
      checkVia(routes.get(i).via(), names, "routes[" + i + "].via");
    }
    checkVia(defaultVia, names, "default");
    compile(list, routes, defaultVia, bypass, Map.of()); // every pattern checked now
  }

  private static void checkVia(List<String> via, Set<String> parents, String where) {
    if (via.contains(DIRECT) && via.size() > 1) {
      throw new IllegalArgumentException(where + ": direct goes alone, not in a list of parents");
    }
    for (String n : via) {
      if (!n.equals(DIRECT) && !parents.contains(n)) {
        throw new IllegalArgumentException(where + ": no parent named '" + n + "' (parents: " + parents + ")");
      }
    }
  }

  @JsonCreator
  public static ParentsOptions of(
      @JsonProperty("list") List<ParentSpec> list,
      @JsonProperty("routes") List<RouteSpec> routes,
      @JsonProperty("default") Object defaultVia,
      @JsonProperty("bypass") List<String> bypass,
      @JsonProperty("downFor") Duration downFor) {
    return new ParentsOptions(requireNonNullElse(list, List.of()), requireNonNullElse(routes, List.of()),
        defaultVia == null ? List.of(DIRECT) : names(defaultVia, "default"), requireNonNullElse(bypass, List.of()),
        requireNonNullElse(downFor, Duration.ofSeconds(30)));
  }

  /** A name alone or a list of names. */
  private static List<String> names(Object value, String key) {
    if (value instanceof String s) {
      return List.of(s.strip());
    }
    if (value instanceof List<?> l && l.stream().allMatch(x -> x instanceof String)) {
      return l.stream().map(x -> ((String) x).strip()).toList();
    }
    throw new IllegalArgumentException(key + " must be direct, a parent's name or a list of names, got " + value);
  }

  /** The same, with one parent for every destination ({@code --parent URL}, like {@code curl -x}). */
  public ParentsOptions withSingleParent(ParentSpec parent) {
    return new ParentsOptions(List.of(parent), List.of(), List.of(parent.name()), bypass, downFor);
  }

  /**
   * The routes, ready to decide.
   *
   * @param credentials {@code user:password} per parent name, as the program read them
   */
  public Routes routes(Map<String, String> credentials) {
    return compile(list, routes, defaultVia, bypass, credentials);
  }

  private static Routes compile(List<ParentSpec> list, List<RouteSpec> routes, List<String> defaultVia, List<String> bypass,
      Map<String, String> credentials) {
    Map<String, Parent> parents = new LinkedHashMap<>();
    for (ParentSpec p : list) {
      String c = p.inlineCredentials() != null ? p.inlineCredentials() : credentials.get(p.name());
      parents.put(p.name(), new Parent(p.name(), ParentSpec.proxy(p.name(), p.url()), c == null ? null
          : "Basic " + Base64.getEncoder().encodeToString(c.getBytes(StandardCharsets.UTF_8))));
    }
    List<Routes.Rule> rules = new ArrayList<>();
    for (int i = 0; i < routes.size(); i++) {
      Routes.Rule rule = new Routes.Rule(routes.get(i).match(), parentsOf(routes.get(i).via(), parents));
      try {
        Routes.of(List.of(), List.of(rule), List.of()); // its patterns, checked alone to name it
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("routes[" + i + "].match: " + e.getMessage());
      }
      rules.add(rule);
    }
    try {
      Routes.of(bypass, List.of(), List.of());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("bypass: " + e.getMessage());
    }
    return Routes.of(bypass, rules, parentsOf(defaultVia, parents));
  }

  private static List<Parent> parentsOf(List<String> via, Map<String, Parent> parents) {
    return via.equals(List.of(DIRECT)) ? List.of() : via.stream().map(parents::get).toList();
  }

  @JsonIgnore
  public long downForNanos() {
    return downFor.toNanos();
  }

  /** Percent-decoding of a URL's userinfo (RFC 3986 2.1), bytes as UTF-8. */
  static String percentDecode(String s) {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '%' && i + 2 < s.length() && Character.digit(s.charAt(i + 1), 16) >= 0
          && Character.digit(s.charAt(i + 2), 16) >= 0) {
        out.write(Integer.parseInt(s.substring(i + 1, i + 3), 16));
        i += 2;
      } else {
        out.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
      }
    }
    return out.toString(StandardCharsets.UTF_8);
  }
}
