package io.hopwise.policy;

import io.hopwise.http.HttpFields;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

/**
 * The forwarding fields the proxy adds to a request: {@code X-Forwarded-For} (with
 * {@code X-Forwarded-Proto} and {@code X-Forwarded-Host}), {@code Forwarded} (RFC 7239), both, or
 * none. Applied after hop-by-hop stripping (http-rules A5), so a {@code Connection} token cannot
 * remove them. Never mutates its input.
 *
 * <p>Trust: values a client sends are claims anyone can forge. Only when the client is in a
 * trusted CIDR (another proxy of ours) are its values kept and ours appended to the chain;
 * otherwise every incoming {@code Forwarded} and {@code X-Forwarded-*} field is removed, in every
 * mode but {@code OFF}, and the chain starts with us. {@code OFF} leaves the fields untouched.
 *
 * <p>What we write, for client 192.0.2.43 asking for {@code http://example.com:8080/}:
 * <pre>
 * X-Forwarded-For: 192.0.2.43            (appended to a trusted chain: "198.51.100.7, 192.0.2.43")
 * X-Forwarded-Proto: http                (a trusted client's value is kept instead)
 * X-Forwarded-Host: example.com:8080     (likewise)
 * Forwarded: for=192.0.2.43;proto=http;host="example.com:8080"
 * </pre>
 * RFC 7239 5.2-5.4: {@code for} is the client (IPv6 bracketed and quoted, RFC 7239 6; {@code
 * unknown} if it is no IP address, 6.2; no port), {@code proto} the scheme of the request target,
 * {@code host} the Host field value; {@code by} is left out, it would disclose our address. A
 * field we write replaces the incoming lines of that field with one line appended after all other
 * fields (prior values first), because several recipients read only one line. Other fields keep
 * their order.
 */
public final class ForwardedHeaders {
  /** Config values {@code off | x-forwarded-for | rfc7239 | both}. */
  public enum Mode {
    OFF, X_FORWARDED_FOR, RFC7239, BOTH;

    public static Mode parse(String value) {
      for (Mode m : values()) {
        if (m.name().replace('_', '-').equalsIgnoreCase(value)) {
          return m;
        }
      }
      throw new IllegalArgumentException("forwarded must be off, x-forwarded-for, rfc7239 or both, got '" + value + "'");
    }

    /** As written in the config: off, x-forwarded-for, rfc7239, both. */
    public String configName() {
      return name().replace('_', '-').toLowerCase(java.util.Locale.ROOT);
    }

    boolean xForwarded() {
      return this == X_FORWARDED_FOR || this == BOTH;
    }

    boolean rfc7239() {
      return this == RFC7239 || this == BOTH;
    }
  }

  static final List<String> INCOMING = List.of(
      "Forwarded", "X-Forwarded-For", "X-Forwarded-Proto", "X-Forwarded-Host", "X-Forwarded-Port");

  private final Mode mode;
  private final ClientAccess trusted;

  private ForwardedHeaders(Mode mode, ClientAccess trusted) {
    this.mode = mode;
    this.trusted = trusted;
  }

  /** Trusted CIDRs are clients whose forwarding fields are believed; empty trusts nobody. */
  public static ForwardedHeaders of(Mode mode, Collection<String> trustedCidrs) {
    return new ForwardedHeaders(mode, ClientAccess.of(trustedCidrs));
  }

  public Mode mode() {
    return mode;
  }

  /**
   * @param in the request fields after hop-by-hop stripping
   * @param clientAddress the peer address as text (Vert.x {@code hostAddress()}); unparseable is
   *     {@code unknown} and never trusted
   * @param scheme the scheme of the request target ({@code http}, {@code https}); null omits proto
   * @param host the Host field value sent upstream ({@code host[:port]}); null omits host
   */
  public HttpFields apply(HttpFields in, String clientAddress, String scheme, String host) {
    if (mode == Mode.OFF) {
      return in;
    }
    boolean trust = trusted.allows(clientAddress);
    HttpFields.Builder out = in.toBuilder();
    if (!trust) {
      INCOMING.forEach(out::removeAll);
    }
    String client = IpAddress.parse(clientAddress).map(IpAddress::unmapped).map(IpAddress::toString).orElse("unknown");
    if (mode.xForwarded()) {
      // A de-facto standard: a comma list, client first, each proxy appending its peer.
      appendToChain(out, in, trust, "X-Forwarded-For", client);
      if (scheme != null && !out.contains("X-Forwarded-Proto")) {
        out.add("X-Forwarded-Proto", scheme.toLowerCase(Locale.ROOT));
      }
      if (host != null && !out.contains("X-Forwarded-Host")) {
        out.add("X-Forwarded-Host", host);
      }
    }
    if (mode.rfc7239()) {
      StringBuilder element = new StringBuilder("for=").append(client.indexOf(':') >= 0 ? "\"[" + client + "]\"" : client);
      if (scheme != null) {
        element.append(";proto=").append(value(scheme.toLowerCase(Locale.ROOT)));
      }
      if (host != null) {
        element.append(";host=").append(value(host));
      }
      appendToChain(out, in, trust, "Forwarded", element.toString());
    }
    return out.build();
  }

  /** One line: the trusted prior lines joined (RFC 9110 5.3), then ours; placed last. */
  private static void appendToChain(HttpFields.Builder out, HttpFields in, boolean trust, String name, String ours) {
    StringBuilder chain = new StringBuilder();
    if (trust) {
      for (String prior : in.getAll(name)) {
        if (!prior.isBlank()) {
          chain.append(prior.strip()).append(", ");
        }
      }
    }
    out.removeAll(name);
    out.add(name, chain.append(ours).toString());
  }

  /** RFC 7239 4: value = token / quoted-string; a host with a port or brackets needs quotes. */
  static String value(String v) {
    boolean token = !v.isEmpty();
    for (int i = 0; i < v.length() && token; i++) {
      char c = v.charAt(i);
      token = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
    }
    return token ? v : "\"" + v.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }
}
