package io.hopwise.policy;

import java.util.Locale;

/**
 * Whether the server name in a tunnel's ClientHello fits the CONNECT that opened it (issue 26):
 * a client must not reach a site its role denies through an address or name its role allows
 * (domain fronting). Pure. The stated rules:
 * <ul>
 *   <li>CONNECT to a name: the ClientHello must ask for that name (any case, no trailing dot); one
 *       without a server name does not fit (clients send one for every name);
 *   <li>CONNECT to an address: a server name, if any, must be one the client's role allows; none
 *       fits (clients send none for an address);
 *   <li>bytes that are not a TLS ClientHello (SSH, plain HTTP through CONNECT): not checked here;
 *       the port and destination rules govern such tunnels.
 * </ul>
 */
public final class SniCheck {
  /** {@code connect.sniCheck}: off, report (log a mismatch, let it through) or enforce (close). */
  public enum Mode {
    OFF, REPORT, ENFORCE;

    public static Mode parse(String s) {
      if ("false".equals(s)) {
        return OFF; // YAML 1.1 reads an unquoted off as the boolean false (as for accessLog: off)
      }
      for (Mode m : values()) {
        if (m.configName().equals(s)) {
          return m;
        }
      }
      throw new IllegalArgumentException("sniCheck must be off, report or enforce, got '" + s + "'");
    }

    public String configName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  private SniCheck() {}

  /**
   * Why the hello does not fit the CONNECT to {@code host:port}, or null when it does (or is not
   * TLS). {@code roles} and {@code role} judge a name asked for through an address.
   */
  public static String mismatch(String host, int port, ClientHello.Result hello, Roles roles, Role role) {
    if (hello instanceof ClientHello.NotTls || hello instanceof ClientHello.NeedMore) {
      return null;
    }
    HostSpelling.Host connected = HostSpelling.classify(host);
    if (connected instanceof HostSpelling.Name n) {
      if (hello instanceof ClientHello.ServerName s) {
        return s.name().equals(n.name()) ? null : "server name " + s.name() + " is not the CONNECT host " + n.name();
      }
      return "no server name in the ClientHello for CONNECT to " + n.name();
    }
    if (hello instanceof ClientHello.ServerName s) {
      RoleVerdict v = roles.decide(role, s.name(), port, true);
      return v.outcome() == RoleVerdict.Outcome.ALLOW ? null
          : "server name " + s.name() + " through an address: role " + v.role() + " (" + v.rule() + ")";
    }
    return null;
  }
}
