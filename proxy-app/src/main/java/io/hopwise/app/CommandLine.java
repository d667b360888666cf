package io.hopwise.app;

import io.hopwise.app.config.HostPort;
import io.hopwise.ProxyOptions.Mode;
import io.hopwise.app.config.ProxyConfig;
import java.nio.file.Path;
import java.util.function.Function;

/**
 * The parsed command line. Flags override the config file; a flag not given is null. Values may be
 * written {@code --flag value} or {@code --flag=value}; when a flag is repeated, the last one wins.
 *
 * @param configFile the config file to read
 * @param configExplicit whether {@code --config} was given (then a missing file is an error)
 */
public record CommandLine(
    Path configFile, boolean configExplicit, HostPort listen, HostPort admin, Mode mode, boolean help,
    boolean checkConfig, String hashPasswordUser, String parent) {
  /** Without --parent. */
  public CommandLine(Path configFile, boolean configExplicit, HostPort listen, HostPort admin, Mode mode, boolean help,
      boolean checkConfig, String hashPasswordUser) {
    this(configFile, configExplicit, listen, admin, mode, help, checkConfig, hashPasswordUser, null);
  }

  /** Never shows the parent URL: it may carry a password. */
  @Override
  public String toString() {
    return "CommandLine[" + configFile + (parent == null ? "" : ", --parent (given)") + "]";
  }

  public static final Path DEFAULT_CONFIG = Path.of("conf", "proxy.yaml");

  public static final String USAGE = """
      Usage: hopwise [OPTIONS]

      A forwarding HTTP/1.1 proxy.

      Options:
        --config FILE       YAML config file (default: conf/proxy.yaml; built-in defaults
                            are used when that file does not exist)
        --listen HOST:PORT  address to accept clients on, e.g. 127.0.0.1:3128 or [::1]:3128
                            (overrides 'listen' in the config file)
        --admin HOST:PORT   address of the admin server: /metrics, /healthz, /readyz
                            (overrides 'admin')
        --mode smart|dumb   smart (default) applies the HTTP connection rules; dumb relays
                            bytes like an old proxy, to show why they exist (overrides 'mode')
        --parent URL        send everything through this parent proxy, e.g.
                            http://proxy.corp.example:3128 (user:password@ may be in the
                            URL, as with curl -x; overrides 'parents')
        --hash-password USER
                            read a password from standard input and print a line for
                            security.authFile (PBKDF2-SHA256, salted), then exit
        --check-config      validate the configuration, print it as the proxy would use it
                            and the transport it would run on here, and exit (0 if valid,
                            2 if not, 1 if a transport it names cannot run here)
        --help, -h          show this help and exit

      Environment variables override config keys, and flags override both:
      HOPWISE_<SECTION>_<KEY> in capitals, e.g. HOPWISE_LISTEN, HOPWISE_ADMIN_LISTEN,
      HOPWISE_MODE, HOPWISE_UPSTREAM_DEFAULT, HOPWISE_UPSTREAM_CONNECTTIMEOUT,
      HOPWISE_CONNECT_PORTS=443,8443; HOPWISE_PARENT=URL as --parent.

      Options take their value as '--flag value' or '--flag=value'.
      Exit codes: 0 ok, 1 cannot start (e.g. port in use, or a transport named in the
      config that cannot run here, --check-config included), 2 bad command line or config.
      """;

  /** Parses {@code args}; the exception message is one line naming the offending argument. */
  public static CommandLine parse(String... args) throws UsageException {
    Path config = DEFAULT_CONFIG;
    boolean configExplicit = false;
    HostPort listen = null;
    HostPort admin = null;
    Mode mode = null;
    boolean help = false;
    boolean checkConfig = false;
    String hashUser = null;
    String parent = null;
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      int eq = arg.indexOf('=');
      String flag = arg.startsWith("--") && eq > 0 ? arg.substring(0, eq) : arg;
      String inline = flag.equals(arg) ? null : arg.substring(eq + 1);
      switch (flag) {
        case "--help", "-h" -> {
          if (inline != null) {
            throw new UsageException(flag + " takes no value");
          }
          help = true;
        }
        case "--check-config" -> {
          if (inline != null) {
            throw new UsageException(flag + " takes no value");
          }
          checkConfig = true;
        }
        case "--config", "--listen", "--admin", "--mode", "--hash-password", "--parent" -> {
          String value = inline;
          if (value == null) {
            // The next argument is the value, unless it is missing or is itself an option.
            value = i + 1 < args.length && !args[i + 1].startsWith("--") ? args[++i] : "";
          }
          if (value.isEmpty()) {
            throw new UsageException(flag + " needs a value");
          }
          switch (flag) {
            case "--config" -> {
              config = Path.of(value);
              configExplicit = true;
            }
            case "--listen" -> listen = value(flag, value, HostPort::parse);
            case "--hash-password" -> hashUser = value;
            case "--parent" -> parent = value(flag, value, v -> {
              io.hopwise.options.ParentsOptions.ParentSpec.fromUrl("parent", v); // checked now, applied over the config
              return v;
            });
            case "--admin" -> admin = value(flag, value, HostPort::parse);
            default -> mode = value(flag, value, Mode::parse);
          }
        }
        default -> throw new UsageException(arg.startsWith("-")
            ? "unknown option '" + flag + "'"
            : "unexpected argument '" + arg + "'");
      }
    }
    return new CommandLine(config, configExplicit, listen, admin, mode, help, checkConfig, hashUser, parent);
  }

  /** The config with the flags that were given applied over it. */
  public ProxyConfig applyTo(ProxyConfig config) {
    ProxyConfig c = config;
    if (listen != null) {
      c = c.withListen(listen);
    }
    if (admin != null) {
      c = c.withAdmin(admin);
    }
    if (mode != null) {
      c = c.withMode(mode);
    }
    if (parent != null) {
      c = c.withParent(parent);
    }
    return c;
  }

  private static <T> T value(String flag, String value, Function<String, T> parse)
      throws UsageException {
    try {
      return parse.apply(value);
    } catch (IllegalArgumentException e) {
      throw new UsageException(flag + ": " + e.getMessage());
    }
  }
}
