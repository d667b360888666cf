package io.hopwise.options;

import static java.util.Objects.requireNonNullElse;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.hopwise.policy.BasicAuth;
import io.hopwise.policy.ForwardedHeaders;
import java.util.List;

/**
 * {@code security:} proxy authentication, TRACE, and forwarding fields (issue 5).
 *
 * @param authFile credentials file (lines from {@code hopwise --hash-password USER}); null: no
 *     authentication. The proxy-app reads it; the credentials themselves are
 *     {@code ProxyOptions.auth()}.
 * @param authRealm realm shown in the 407 challenge
 * @param allowTrace TRACE echoes requests, credentials included: refused with 405 unless allowed
 * @param forwarded off | x-forwarded-for | rfc7239 | both
 * @param trustedProxies clients whose own X-Forwarded-For / Forwarded values are kept (appended
 *     to); anyone else's are replaced
 */
public record SecurityOptions(String authFile, String authRealm, boolean allowTrace, String forwarded,
    List<String> trustedProxies) {
  public static final SecurityOptions DEFAULTS = of(null, null, null, null, null);

  public SecurityOptions {
    trustedProxies = List.copyOf(trustedProxies);
    BasicAuth.challenge(authRealm); // checks the realm
    forwardedHeaders(forwarded, trustedProxies); // checks the mode and the CIDRs
  }

  /** Binds YAML: a missing (or null) key takes its default. */
  @JsonCreator
  public static SecurityOptions of(
      @JsonProperty("authFile") String authFile,
      @JsonProperty("authRealm") String authRealm,
      @JsonProperty("allowTrace") Boolean allowTrace,
      @JsonProperty("forwarded") String forwarded,
      @JsonProperty("trustedProxies") List<String> trustedProxies) {
    return new SecurityOptions(authFile, requireNonNullElse(authRealm, "hopwise"),
        requireNonNullElse(allowTrace, false), requireNonNullElse(forwarded, ForwardedHeaders.Mode.OFF.configName()),
        requireNonNullElse(trustedProxies, List.of()));
  }

  /** X-Forwarded-For / Forwarded handling. */
  public ForwardedHeaders forwardedHeaders() {
    return forwardedHeaders(forwarded, trustedProxies);
  }

  private static ForwardedHeaders forwardedHeaders(String mode, List<String> trusted) {
    return ForwardedHeaders.of(ForwardedHeaders.Mode.parse(mode), trusted);
  }
}
