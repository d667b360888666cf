package io.hopwise.http;

import java.nio.charset.StandardCharsets;

/**
 * The proxy auto-config file served at {@code GET /proxy.pac} on the proxy port, so a person
 * sets one URL in the browser ("Automatic proxy configuration URL") instead of host and port.
 */
public final class PacFile {
  public static final String PATH = "/proxy.pac";
  public static final String CONTENT_TYPE = "application/x-ns-proxy-autoconfig";

  private PacFile() {}

  /** An origin-form GET or HEAD for the PAC path (only when no default upstream claims it). */
  public static boolean isRequest(String method, RequestTarget target) {
    return (method.equals("GET") || method.equals("HEAD"))
        && target instanceof RequestTarget.OriginForm o
        && (o.pathAndQuery().equals(PATH) || o.pathAndQuery().startsWith(PATH + "?"));
  }

  /**
   * The script: every URL through this proxy, addressed as the browser reached us (its Host
   * field), else as we listen.
   */
  public static byte[] body(String hostField, String listenHost, int listenPort) {
    String proxy = hostField != null && Authority.isValidHostField(hostField) && !hostField.isEmpty()
        ? (hostField.lastIndexOf(':') > hostField.lastIndexOf(']') ? hostField : hostField + ":" + listenPort)
        : Authority.forUri(listenHost) + ":" + listenPort;
    String script = "// hopwise proxy auto-config\n"
        + "function FindProxyForURL(url, host) {\n"
        + "  return \"PROXY " + proxy + "\";\n"
        + "}\n";
    return script.getBytes(StandardCharsets.US_ASCII);
  }
}
