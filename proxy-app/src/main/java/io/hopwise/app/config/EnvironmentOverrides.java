package io.hopwise.app.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Environment variables that override config keys, for containers: {@code HOPWISE_} plus the key
 * path in capitals with {@code _} between sections, e.g. {@code HOPWISE_LISTEN},
 * {@code HOPWISE_UPSTREAM_CONNECTTIMEOUT}, {@code HOPWISE_CONNECT_PORTS=443,8443}.
 * {@code HOPWISE_ADMIN_LISTEN} is accepted for {@code admin}. Precedence: file, then environment,
 * then command-line flags.
 */
public final class EnvironmentOverrides {
  /** Every key that can be set, as its path in the YAML file. */
  static final List<String> KEYS = List.of(
      "listen", "admin", "mode", "pseudonym", "eventLoops", "accessLog", "transport",
      "limits.maxRequestLineBytes", "limits.maxHeaderBytes", "limits.maxFields",
      "limits.maxRequestBodyBytes", "limits.maxClientConnections", "limits.maxConnectionsPerClient",
      "upstream.default", "upstream.maxConnectionsPerOrigin", "upstream.maxWaitQueue",
      "upstream.connectTimeout", "upstream.responseTimeout", "upstream.idleTimeout",
      "upstream.maxLifetime", "upstream.pipelining", "upstream.caFile",
      "client.idleTimeout", "client.lingerTimeout", "client.headTimeout", "client.honorHttp10KeepAlive",
      "connect.ports", "connect.idleTimeout", "connect.websocket", "connect.sniCheck",
      "shutdown.delay", "shutdown.drainTimeout",
      "access.clients", "access.denyAction", "access.denyCidrs", "access.allowCidrs",
      "access.denyHosts", "access.allowHosts", "access.ports",
      "security.authFile", "security.authRealm", "security.allowTrace", "security.forwarded",
      "security.trustedProxies", "roles.static", "roles.default", "metrics.destinations", "view.recent",
      "view.hidePaths", "parents.default", "parents.bypass", "parents.downFor");
  /** Keys only the file can set: a list of mappings has no sensible one-variable form. */
  static final List<String> FILE_ONLY = List.of("roles.list", "parents.list", "parents.routes");
  /**
   * Keys the file still accepts but the effective configuration no longer shows, because a newer
   * key took their place ({@code nativeTransport}: {@code transport}).
   */
  static final List<String> OLDER_KEYS = List.of("nativeTransport");
  /** Every key an environment variable may set. */
  private static final List<String> SETTABLE =
      java.util.stream.Stream.concat(KEYS.stream(), OLDER_KEYS.stream()).toList();
  private static final Map<String, String> ALIASES = Map.of("HOPWISE_ADMIN_LISTEN", "admin");
  private static final List<String> LIST_KEYS = List.of("connect.ports", "access.clients",
      "access.denyCidrs", "access.allowCidrs", "access.denyHosts", "access.allowHosts", "access.ports",
      "security.trustedProxies", "parents.default", "parents.bypass");

  private EnvironmentOverrides() {}

  public static String variableFor(String keyPath) {
    return "HOPWISE_" + keyPath.toUpperCase(Locale.ROOT).replace('.', '_');
  }

  /** The overrides present in {@code env}: key path to variable name. */
  static Map<String, String> present(Map<String, String> env) {
    Map<String, String> found = new LinkedHashMap<>();
    for (String key : SETTABLE) {
      if (env.containsKey(variableFor(key))) {
        found.put(key, variableFor(key));
      }
    }
    ALIASES.forEach((variable, key) -> {
      if (env.containsKey(variable) && !found.containsKey(key)) {
        found.put(key, variable);
      }
    });
    return found;
  }

  /** Writes the overrides into the parsed file (a fresh object if the file was empty). */
  static JsonNode apply(JsonNode tree, Map<String, String> env, Map<String, String> present) {
    ObjectNode root = tree instanceof ObjectNode o ? o : JsonNodeFactory.instance.objectNode();
    present.forEach((key, variable) -> {
      String value = env.get(variable);
      String[] path = key.split("\\.");
      ObjectNode parent = root;
      for (int i = 0; i < path.length - 1; i++) {
        JsonNode child = parent.get(path[i]);
        parent = child instanceof ObjectNode o ? o : parent.putObject(path[i]);
      }
      String leaf = path[path.length - 1];
      if (LIST_KEYS.contains(key)) {
        var array = parent.putArray(leaf);
        for (String element : value.split(",")) {
          String e = element.strip();
          if (e.matches("[0-9]{1,9}")) {
            array.add(Integer.parseInt(e));
          } else {
            array.add(e);
          }
        }
      } else {
        parent.put(leaf, value);
      }
    });
    // The environment overrides the file, also where the file says the same thing under the other
    // of two keys for one setting: HOPWISE_TRANSPORT over a file's nativeTransport, and the reverse.
    if (present.containsKey("transport") && !present.containsKey("nativeTransport")) {
      root.remove("nativeTransport");
    } else if (present.containsKey("nativeTransport") && !present.containsKey("transport")) {
      root.remove("transport");
    }
    return root;
  }
}
