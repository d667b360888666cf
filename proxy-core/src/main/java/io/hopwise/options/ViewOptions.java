package io.hopwise.options;

import static java.util.Objects.requireNonNullElse;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * {@code view:} the connection view on the admin port (issue 24).
 *
 * @param recent records kept per event loop, of each kind (exchanges, tunnels, closed client and
 *     upstream connections): the oldest go first, so memory stays bounded whatever the traffic;
 *     0 keeps none
 * @param hidePaths show targets as scheme://host:port only (query strings are never shown)
 */
public record ViewOptions(int recent, boolean hidePaths) {
  public static final ViewOptions DEFAULTS = of(null, null);

  public ViewOptions {
    if (recent < 0 || recent > 100_000) {
      throw new IllegalArgumentException("recent must be 0-100000 (0 = keep none), got " + recent);
    }
  }

  /** Binds YAML: a missing (or null) key takes its default. */
  @JsonCreator
  public static ViewOptions of(@JsonProperty("recent") Integer recent, @JsonProperty("hidePaths") Boolean hidePaths) {
    return new ViewOptions(requireNonNullElse(recent, 1000), requireNonNullElse(hidePaths, false));
  }
}
