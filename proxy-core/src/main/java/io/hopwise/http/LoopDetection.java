package io.hopwise.http;

import java.util.Locale;
import java.util.Set;

/** Requests that would come back to us (http-rules D2, RFC 9110 7.6.3): answered with 508. */
public final class LoopDetection {
  private static final Set<String> LOOPBACK_NAMES = Set.of("localhost", "127.0.0.1", "::1", "0.0.0.0", "::");

  private LoopDetection() {}

  /**
   * A reason if the request already passed through us (our pseudonym is a received-by in Via)
   * or targets our own listening address; null otherwise. No name resolution: this is the cheap
   * first line, the address policy of a later stage checks resolved addresses.
   */
  public static String loop(HttpFields fields, Origin target, String pseudonym, String listenHost, int listenPort) {
    if (pseudonym != null && viaNames(fields, pseudonym)) {
      return "loop detected: this request already passed through " + pseudonym;
    }
    if (target != null && target.port() == listenPort) {
      String host = target.host().toLowerCase(Locale.ROOT);
      if (LOOPBACK_NAMES.contains(host) || host.startsWith("127.") || host.equalsIgnoreCase(listenHost)) {
        return "loop detected: the target " + target + " is this proxy";
      }
    }
    return null;
  }

  /** Via = #( received-protocol RWS received-by [ RWS comment ] ) (RFC 9110 7.6.3). */
  static boolean viaNames(HttpFields fields, String pseudonym) {
    for (String line : fields.getAll("Via")) {
      for (String element : line.split(",")) {
        String[] parts = element.strip().split("[ \t]+");
        if (parts.length >= 2 && parts[1].equalsIgnoreCase(pseudonym)) {
          return true;
        }
      }
    }
    return false;
  }
}
