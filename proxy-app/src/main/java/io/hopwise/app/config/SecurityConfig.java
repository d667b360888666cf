package io.hopwise.app.config;

import static java.util.Objects.requireNonNullElse;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.hopwise.ProxyOptions;
import java.util.List;

/**
 * {@code security:} proxy authentication, TRACE, and forwarding fields (issue 5).
 *
 * @param authFile credentials file (lines from {@code hopwise --hash-password USER}); null: no auth
 * @param authRealm realm shown in the 407 challenge
 * @param allowTrace TRACE echoes requests; refused with 405 unless allowed
 * @param forwarded off | x-forwarded-for | rfc7239 | both
 * @param trustedProxies clients whose own X-Forwarded-For / Forwarded values are kept (appended
 *     to); anyone else's are replaced
 */
public record SecurityConfig(String authFile, String authRealm, boolean allowTrace, String forwarded,
    List<String> trustedProxies) {
  public static final SecurityConfig DEFAULTS = of(null, null, null, null, null);

  /** Binds YAML: a missing (or null) key takes its default. */
  @JsonCreator
  public static SecurityConfig of(
      @JsonProperty("authFile") String authFile,
      @JsonProperty("authRealm") String authRealm,
      @JsonProperty("allowTrace") Boolean allowTrace,
      @JsonProperty("forwarded") String forwarded,
      @JsonProperty("trustedProxies") List<String> trustedProxies) {
    ProxyOptions d = ProxyOptions.DEFAULTS;
    return new SecurityConfig(authFile, requireNonNullElse(authRealm, d.authRealm()),
        requireNonNullElse(allowTrace, d.allowTrace()), requireNonNullElse(forwarded, d.forwarded().mode().configName()),
        List.copyOf(requireNonNullElse(trustedProxies, List.of())));
  }
}
