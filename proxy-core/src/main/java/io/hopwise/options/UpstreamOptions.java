package io.hopwise.options;

import static java.util.Objects.requireNonNullElse;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.hopwise.http.Origin;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * {@code upstream:} the connections the proxy opens to origins, and its pool of them.
 *
 * @param defaultUpstream YAML key {@code default}: where origin-form requests go (sidecar use);
 *     null refuses them with 400
 * @param responseTimeout how long we wait for the upstream's response head before answering 504
 * @param idleTimeout how long a pooled connection may sit idle
 * @param maxLifetime how long a pooled connection is reused at most
 * @param caFile certificates (PEM) to trust for TLS to origins instead of the JDK's trust store,
 *     for an internal CA; null uses the JDK's trust store
 * @param pipelining requests in flight per upstream connection (RFC 9112 9.3.2). 1, the default, is
 *     no pipelining. Above 1, a bodiless idempotent request may be written on a busy connection
 *     when the origin is at its connection limit. Off by default: many servers and middleboxes get
 *     it wrong.
 */
public record UpstreamOptions(
    @JsonProperty("default") Origin defaultUpstream,
    int maxConnectionsPerOrigin,
    int maxWaitQueue,
    Duration connectTimeout,
    Duration responseTimeout,
    Duration idleTimeout,
    Duration maxLifetime,
    String caFile,
    int pipelining) {
  /**
   * Long enough for long polling (a blocking query may hold its answer for minutes: Consul's wait
   * is capped at 10 minutes plus jitter), as Squid's 15-minute read timeout is; a client's own
   * timeout usually ends a hung request first. 60 s turned long polls into 504s (issue 26).
   */
  static final Duration DEFAULT_RESPONSE_TIMEOUT = Duration.ofMinutes(15);

  public static final UpstreamOptions DEFAULTS = of(null, null, null, null, null, null, null, null, null);

  public UpstreamOptions {
    Checks.atLeastOne("maxConnectionsPerOrigin", maxConnectionsPerOrigin);
    Checks.notNegative("maxWaitQueue", maxWaitQueue, "");
    Checks.positive("connectTimeout", connectTimeout);
    Checks.positive("responseTimeout", responseTimeout);
    Checks.positive("idleTimeout", idleTimeout);
    Checks.positive("maxLifetime", maxLifetime);
    Checks.atLeastOne("pipelining", pipelining);
    if (caFile != null && !Files.isReadable(Path.of(caFile))) {
      throw new IllegalArgumentException("caFile must be a readable file, got " + caFile);
    }
  }

  /** Binds YAML: a missing (or null) key takes its default. */
  @JsonCreator
  public static UpstreamOptions of(
      @JsonProperty("default") Origin defaultUpstream,
      @JsonProperty("maxConnectionsPerOrigin") Integer maxConnectionsPerOrigin,
      @JsonProperty("maxWaitQueue") Integer maxWaitQueue,
      @JsonProperty("connectTimeout") Duration connectTimeout,
      @JsonProperty("responseTimeout") Duration responseTimeout,
      @JsonProperty("idleTimeout") Duration idleTimeout,
      @JsonProperty("maxLifetime") Duration maxLifetime,
      @JsonProperty("caFile") String caFile,
      @JsonProperty("pipelining") Integer pipelining) {
    return new UpstreamOptions(
        defaultUpstream,
        requireNonNullElse(maxConnectionsPerOrigin, 16),
        requireNonNullElse(maxWaitQueue, 4096),
        requireNonNullElse(connectTimeout, Duration.ofSeconds(10)),
        requireNonNullElse(responseTimeout, DEFAULT_RESPONSE_TIMEOUT),
        requireNonNullElse(idleTimeout, Duration.ofSeconds(30)),
        requireNonNullElse(maxLifetime, Duration.ofMinutes(5)),
        caFile,
        requireNonNullElse(pipelining, 1));
  }
}
