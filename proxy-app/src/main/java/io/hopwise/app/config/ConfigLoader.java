package io.hopwise.app.config;

import io.hopwise.ProxyOptions.Mode;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.hopwise.http.Origin;
import io.hopwise.policy.PortRanges;
import io.hopwise.io.TransportChoice;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * Reads {@code proxy.yaml} into a {@link ProxyConfig}, strictly: unknown keys, malformed values and
 * values the core would refuse are all errors, each reported as one line naming the file and the
 * key path. Nothing here prints or exits; the caller decides.
 */
public final class ConfigLoader {
  private static final YAMLMapper MAPPER = YAMLMapper.builder()
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      // "maxFields: 1.5" is a mistake, not 1.
      .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
      // A key written twice is a mistake too; YAML parsers silently keep the last one.
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .addModule(new SimpleModule("hopwise-config")
          .addDeserializer(Duration.class, new ValueDeserializer<>(Duration.class, Durations::parse))
          .addDeserializer(HostPort.class, new ValueDeserializer<>(HostPort.class, HostPort::parse))
          .addDeserializer(Mode.class, new ValueDeserializer<>(Mode.class, Mode::parse))
          .addDeserializer(TransportChoice.Kind.class,
              new ValueDeserializer<>(TransportChoice.Kind.class, TransportChoice.Kind::parse))
          .addDeserializer(Origin.class, new ValueDeserializer<>(Origin.class, ConfigLoader::origin))
          .addDeserializer(PortRanges.class, new PortRangesDeserializer())
          .addDeserializer(ProxyConfig.AccessLogFormat.class, new ValueDeserializer<>(
              ProxyConfig.AccessLogFormat.class, ConfigLoader::accessLogFormat)))
      .build();

  private static ProxyConfig.AccessLogFormat accessLogFormat(String s) {
    return switch (s) {
      case "json" -> ProxyConfig.AccessLogFormat.JSON;
      case "squid" -> ProxyConfig.AccessLogFormat.SQUID;
      // YAML 1.1 reads an unquoted off as the boolean false.
      case "off", "false" -> ProxyConfig.AccessLogFormat.OFF;
      default -> throw new IllegalArgumentException("expected json, squid or off, got '" + s + "'");
    };
  }

  /**
   * One parent for every destination, as {@code --parent} sets it (issue 27), for containers:
   * a URL, credentials allowed in it ({@code http://user:password@proxy.corp:3128}).
   */
  public static final String PARENT_VARIABLE = "HOPWISE_PARENT";

  /** The environment the loader reads overrides from; tests replace it. */
  static java.util.function.Supplier<java.util.Map<String, String>> environment = System::getenv;

  private ConfigLoader() {}

  /** Keys set from the environment in the last parse, to name the variable in an error. */
  private static java.util.Map<String, String> overridden = java.util.Map.of();

  private static String fromEnvironment(String message) {
    for (var e : overridden.entrySet()) {
      if (message.startsWith(e.getKey() + ":") || message.contains("'" + e.getKey() + "'")) {
        return message + " (set by environment variable " + e.getValue() + ")";
      }
    }
    return message;
  }

  /** A value written as the file writes it ({@code report}, {@code smart}, ...). */
  private static <T> com.fasterxml.jackson.databind.JsonSerializer<T> written(java.util.function.Function<T, String> asWritten) {
    return new com.fasterxml.jackson.databind.JsonSerializer<T>() {
      @Override
      public void serialize(T value, com.fasterxml.jackson.core.JsonGenerator g,
          com.fasterxml.jackson.databind.SerializerProvider p) throws IOException {
        g.writeString(asWritten.apply(value));
      }
    };
  }

  /** The effective configuration as YAML, for --check-config and the start-up log. */
  public static String toYaml(ProxyConfig config) {
    try {
      com.fasterxml.jackson.databind.ObjectMapper out = YAMLMapper.builder()
          .disable(com.fasterxml.jackson.dataformat.yaml.YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
          .enable(com.fasterxml.jackson.dataformat.yaml.YAMLGenerator.Feature.MINIMIZE_QUOTES)
          .addModule(new SimpleModule("hopwise-config-out")
              .addSerializer(Duration.class, new com.fasterxml.jackson.databind.ser.std.StdSerializer<Duration>(Duration.class) {
                @Override
                public void serialize(Duration d, com.fasterxml.jackson.core.JsonGenerator g,
                    com.fasterxml.jackson.databind.SerializerProvider p) throws IOException {
                  g.writeString(Durations.format(d));
                }
              })
              .addSerializer(HostPort.class, com.fasterxml.jackson.databind.ser.std.ToStringSerializer.instance)
              .addSerializer(io.hopwise.policy.PortRanges.class,
                  new com.fasterxml.jackson.databind.ser.std.StdSerializer<io.hopwise.policy.PortRanges>(io.hopwise.policy.PortRanges.class) {
                @Override
                public void serialize(io.hopwise.policy.PortRanges r, com.fasterxml.jackson.core.JsonGenerator g,
                    com.fasterxml.jackson.databind.SerializerProvider p) throws IOException {
                  g.writeObject(r.items()); // [443, "1024-65535"]: as written in the file
                }
              })
              .addSerializer(Origin.class, com.fasterxml.jackson.databind.ser.std.ToStringSerializer.instance)
              .addSerializer(TransportChoice.Kind.class, com.fasterxml.jackson.databind.ser.std.ToStringSerializer.instance)
              .addSerializer(io.hopwise.policy.SniCheck.Mode.class, written(io.hopwise.policy.SniCheck.Mode::configName))
              .addSerializer(io.hopwise.policy.Role.Mode.class, written(io.hopwise.policy.Role.Mode::configName))
              .addSerializer(Mode.class, written(Mode::toString))
              .addSerializer(ProxyConfig.AccessLogFormat.class,
                  written((ProxyConfig.AccessLogFormat f) -> f.name().toLowerCase(java.util.Locale.ROOT))))
          .build();
      return out.writeValueAsString(config);
    } catch (IOException e) {
      throw new IllegalStateException("cannot render the configuration", e);
    }
  }

  /** Loads {@code file}; a missing file is an error. */
  public static ProxyConfig load(Path file) throws ConfigException {
    String name = file.toString();
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (IOException e) {
      throw new ConfigException(name + ": cannot read file (" + reason(e) + ")");
    }
    ProxyConfig config = parse(bytes, name);
    try {
      config.toProxyOptions();
    } catch (ConfigException e) {
      throw e.in(name);
    }
    return config;
  }

  /** Loads {@code file} if it exists, else returns the defaults (for the default config path). */
  public static ProxyConfig loadIfPresent(Path file) throws ConfigException {
    if (Files.exists(file)) {
      return load(file);
    }
    ProxyConfig config = parse(new byte[0], "environment");
    config.toProxyOptions();
    return config;
  }

  private static ProxyConfig parse(byte[] bytes, String name) throws ConfigException {
    try {
      // Whole document first, so that a YAML syntax error is reported as such, not as whatever
      // odd value a streaming binder would have seen before reaching it.
      JsonNode tree = MAPPER.readTree(bytes);
      java.util.Map<String, String> env = environment.get();
      java.util.Map<String, String> overrides = EnvironmentOverrides.present(env);
      if (!overrides.isEmpty()) {
        tree = EnvironmentOverrides.apply(tree, env, overrides);
        overridden = overrides;
      } else {
        overridden = java.util.Map.of();
      }
      ProxyConfig config = tree == null || tree.isMissingNode() || tree.isNull()
          ? ProxyConfig.DEFAULTS // empty, only comments, or "---": all defaults
          : MAPPER.treeToValue(tree, ProxyConfig.class);
      String parent = env.get(PARENT_VARIABLE);
      if (parent != null && !parent.isBlank()) {
        try {
          config = config.withParent(parent.strip());
        } catch (IllegalArgumentException e) {
          throw new ConfigException(name + ": " + e.getMessage() + " (set by environment variable " + PARENT_VARIABLE + ")");
        }
      }
      return config;
    } catch (JsonProcessingException e) {
      throw new ConfigException(name + ": " + fromEnvironment(describe(e)));
    } catch (IOException e) {
      throw new ConfigException(name + ": cannot read file (" + reason(e) + ")");
    }
  }

  /** One line for a Jackson or YAML error, in terms of keys rather than Java types. */
  static String describe(JsonProcessingException e) {
    if (e instanceof UnrecognizedPropertyException u) {
      return "unknown key '" + keyPath(u) + "'";
    }
    String original = String.valueOf(e.getOriginalMessage());
    if (original.startsWith("Duplicate field '")) {
      // Raised by the parser; Jackson may or may not have wrapped it with the path so far.
      String parent = e instanceof JsonMappingException m ? keyPath(m) : parentPath(e);
      String key = original.split("'")[1];
      return "duplicate key '" + (parent.isEmpty() ? key : parent + "." + key) + "'";
    }
    if (original.startsWith("Trailing token")) {
      return "more than one YAML document (a config file holds exactly one)";
    }
    if (e instanceof JsonMappingException m) {
      String at = keyPath(m);
      String where = at.isEmpty() ? "" : at + ": ";
      if (m instanceof ValueDeserializer.BadValue) {
        return where + m.getOriginalMessage();
      }
      if (m instanceof InvalidFormatException f) {
        return where + "expected " + expected(f.getTargetType()) + ", got '" + f.getValue() + "'";
      }
      if (m instanceof MismatchedInputException i && i.getTargetType() != null) {
        String what = expected(i.getTargetType());
        return at.isEmpty() ? "expected " + what + " at the top level" : where + "expected " + what;
      }
      if (m instanceof ValueInstantiationException && m.getCause() != null) {
        return ProxyConfig.atKey(at, m.getCause().getMessage()); // an option record's range check
      }
      return where + firstLine(m.getOriginalMessage());
    }
    if (e.getCause() instanceof MarkedYAMLException y && y.getProblemMark() != null) {
      return "line " + (y.getProblemMark().getLine() + 1) + ", column " + (y.getProblemMark().getColumn() + 1)
          + ": invalid YAML (" + y.getProblem() + ")";
    }
    String at = e.getLocation() == null ? "" : "line " + e.getLocation().getLineNr() + ": ";
    return at + "invalid YAML (" + firstLine(e.getOriginalMessage()) + ")";
  }

  /** The dotted key path, e.g. {@code upstream.connectTimeout}; list items as {@code [0]}. */
  private static String keyPath(JsonMappingException e) {
    StringBuilder sb = new StringBuilder();
    for (JsonMappingException.Reference r : e.getPath()) {
      if (r.getFieldName() != null) {
        sb.append(sb.length() == 0 ? "" : ".").append(r.getFieldName());
      } else if (r.getIndex() >= 0) {
        sb.append('[').append(r.getIndex()).append(']');
      }
    }
    return sb.toString();
  }

  /** For a parser-level error: the mapping the parser was in, from its context. */
  private static String parentPath(JsonProcessingException e) {
    if (!(e.getProcessor() instanceof JsonParser p)) {
      return "";
    }
    List<String> names = new ArrayList<>();
    for (var c = p.getParsingContext().getParent(); c != null; c = c.getParent()) {
      if (c.getCurrentName() != null) {
        names.add(0, c.getCurrentName());
      }
    }
    return String.join(".", names);
  }

  private static String expected(Class<?> type) {
    if (type == int.class || type == Integer.class) {
      return "an integer";
    } else if (type == String.class) {
      return "a string";
    } else if (type.isRecord()) {
      return "a mapping of keys";
    }
    return type.getSimpleName();
  }

  private static Origin origin(String s) {
    Origin o = Origin.parse(s);
    if (o == null) {
      throw new IllegalArgumentException("expected an origin URL like http://127.0.0.1:8080, got '" + s + "'");
    }
    return o;
  }

  private static String reason(IOException e) {
    if (e instanceof NoSuchFileException) {
      return "No such file or directory";
    } else if (e instanceof AccessDeniedException) {
      return "Permission denied";
    }
    return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "unknown error";
    }
    return s.lines().findFirst().orElse("").strip();
  }
}
