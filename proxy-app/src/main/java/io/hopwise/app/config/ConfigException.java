package io.hopwise.app.config;

/**
 * A configuration problem, as one line a person can act on: it names the file (when there is one)
 * and the key path, e.g. {@code conf/proxy.yaml: upstream.connectTimeout: invalid duration 'ten'}.
 */
public final class ConfigException extends Exception {
  public ConfigException(String message) {
    super(message, null, false, false);
  }

  /** The same problem, attributed to a file. */
  public ConfigException in(String file) {
    return new ConfigException(file + ": " + getMessage());
  }
}
