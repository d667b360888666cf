package io.hopwise.app.config;

import java.nio.file.Path;
import java.util.Map;

/**
 * For tests outside this package: loads a config file as a process whose environment is exactly
 * {@code env} would ({@link ConfigLoader#environment} is package-private), then restores the real
 * environment.
 */
public final class ConfigLoaderAccess {
  private ConfigLoaderAccess() {}

  /** The core's options of {@code config} as a process with environment {@code env} makes them (parents' credentials). */
  public static io.hopwise.ProxyOptions optionsWithEnvironment(ProxyConfig config, Map<String, String> env)
      throws ConfigException {
    Map<String, String> copy = Map.copyOf(env);
    ConfigLoader.environment = () -> copy;
    try {
      return config.toProxyOptions();
    } finally {
      ConfigLoader.environment = System::getenv;
    }
  }

  public static ProxyConfig loadWithEnvironment(Path file, Map<String, String> env) throws ConfigException {
    Map<String, String> copy = Map.copyOf(env);
    ConfigLoader.environment = () -> copy;
    try {
      return ConfigLoader.load(file);
    } finally {
      ConfigLoader.environment = System::getenv;
    }
  }
}
