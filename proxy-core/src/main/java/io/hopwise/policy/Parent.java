package io.hopwise.policy;

import io.hopwise.http.Origin;
import java.util.Objects;

/**
 * A parent proxy (issue 27): where requests go when a route names it, and the
 * {@code Proxy-Authorization} value we send it (RFC 9110 11.7.2: ours, for this hop; a client's
 * credentials are meant for us and never passed on). {@link #toString} never shows the credentials.
 *
 * @param name as the config names it (routes, logs, metrics)
 * @param proxy the parent's address: {@code http://host:port}, or {@code https://} for TLS to the parent
 * @param authorization the whole field value ({@code Basic ...}), or null to send none
 */
public record Parent(String name, Origin proxy, String authorization) {
  public Parent {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(proxy, "proxy");
  }

  @Override
  public String toString() {
    return name + " (" + proxy + (authorization == null ? "" : ", with credentials") + ")";
  }
}
