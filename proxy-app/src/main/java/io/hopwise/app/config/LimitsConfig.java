package io.hopwise.app.config;

import static java.util.Objects.requireNonNullElse;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.hopwise.http.HeadLimits;

/** {@code limits:} size limits for a request head (answered with 414 / 431 when exceeded). */
public record LimitsConfig(int maxRequestLineBytes, int maxHeaderBytes, int maxFields) {
  public static final LimitsConfig DEFAULTS = of(null, null, null);

  /** Binds YAML: a missing (or null) key takes its default. */
  @JsonCreator
  public static LimitsConfig of(
      @JsonProperty("maxRequestLineBytes") Integer maxRequestLineBytes,
      @JsonProperty("maxHeaderBytes") Integer maxHeaderBytes,
      @JsonProperty("maxFields") Integer maxFields) {
    HeadLimits d = HeadLimits.DEFAULT;
    return new LimitsConfig(
        requireNonNullElse(maxRequestLineBytes, d.maxRequestLineBytes()),
        requireNonNullElse(maxHeaderBytes, d.maxHeaderBytes()),
        requireNonNullElse(maxFields, d.maxFields()));
  }
}
