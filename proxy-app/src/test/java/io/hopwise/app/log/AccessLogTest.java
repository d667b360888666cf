package io.hopwise.app.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hopwise.ProxyListener;
import io.hopwise.policy.RoleVerdict;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class AccessLogTest {
  private static final ProxyListener.ExchangeRecord RECORD = new ProxyListener.ExchangeRecord(
      "127.0.0.1", "GET", "http://example.com/a?b=1", 200, 5, 1234, 12_500_000, ProxyListener.UpstreamUse.REUSED, false,
      List.of("Connection", "Keep-Alive"), "alice",
      new RoleVerdict("payments", RoleVerdict.Outcome.REPORT_DENY, "not in allow"), io.hopwise.ClientLeg.NONE, null);

  private static String write(AccessLog.Format format, java.util.function.Consumer<AccessLog> action) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    action.accept(new AccessLog(format, new PrintStream(bytes, true, StandardCharsets.UTF_8)));
    return bytes.toString(StandardCharsets.UTF_8);
  }

  @Test
  void jsonLinePerRequest() throws Exception {
    String line = write(AccessLog.Format.JSON, l -> l.requestCompleted(RECORD));
    assertTrue(line.endsWith("\n") && line.indexOf('\n') == line.length() - 1, "one line");
    JsonNode n = new ObjectMapper().readTree(line);
    assertEquals("request", n.get("type").asText());
    assertEquals("127.0.0.1", n.get("client").asText());
    assertEquals("GET", n.get("method").asText());
    assertEquals("http://example.com/a?b=1", n.get("target").asText());
    assertEquals(200, n.get("status").asInt());
    assertEquals(5, n.get("bytes_in").asLong());
    assertEquals(1234, n.get("bytes_out").asLong());
    assertEquals(12.5, n.get("duration_ms").asDouble());
    assertEquals("reused", n.get("upstream").asText());
    assertEquals("[\"Connection\",\"Keep-Alive\"]", n.get("removed").toString());
    assertEquals("alice", n.get("user").asText(), "issue 26: no line named the authenticated user");
    assertEquals("payments", n.get("role").asText());
    assertEquals("report-deny", n.get("decision").asText(), "issue 26: a report-mode role lets it through, and says so");
    assertEquals("not in allow", n.get("rule").asText());
  }

  @Test
  void squidLikeLine() {
    String line = write(AccessLog.Format.SQUID, l -> l.requestCompleted(RECORD)).trim();
    assertTrue(line.matches("\\d+\\.\\d{3} +12 127\\.0\\.0\\.1 TCP_MISS/200 1234 GET http://example\\.com/a\\?b=1 alice HIER_DIRECT/reused -"
        + " role=payments decision=report-deny rule=\"not in allow\""), line);
  }

  // Issue 26: refusals (407, a refused or failed CONNECT, a malformed head) had no line at all.
  @Test
  void refusalsAreLinesWithoutAnUpstream() throws Exception {
    ProxyListener.ExchangeRecord denied = new ProxyListener.ExchangeRecord("10.0.0.7", "CONNECT", "example.com:25", 403,
        0, 0, 1_000_000, ProxyListener.UpstreamUse.NONE, false, List.of(), null,
        new RoleVerdict("default", RoleVerdict.Outcome.DENY, "CONNECT to port 25 is not allowed"), io.hopwise.ClientLeg.NONE, null);
    JsonNode n = new ObjectMapper().readTree(write(AccessLog.Format.JSON, l -> l.requestRefused(denied)));
    assertEquals(403, n.get("status").asInt());
    assertEquals("none", n.get("upstream").asText());
    assertEquals("example.com:25", n.get("target").asText());
    String squid = write(AccessLog.Format.SQUID, l -> l.requestRefused(denied)).trim();
    assertTrue(squid.matches("\\d+\\.\\d{3} +1 10\\.0\\.0\\.7 TCP_DENIED/403 0 CONNECT example\\.com:25 - HIER_NONE/none -"
        + " role=default decision=deny rule=\"CONNECT to port 25 is not allowed\""), squid);
    assertEquals("deny", n.get("decision").asText());
    assertEquals("CONNECT to port 25 is not allowed", n.get("rule").asText());
    ProxyListener.ExchangeRecord malformed = new ProxyListener.ExchangeRecord("10.0.0.7", "-", "-", 400,
        0, 0, 0, ProxyListener.UpstreamUse.NONE, false, List.of(), null, RoleVerdict.NONE, io.hopwise.ClientLeg.NONE, null);
    squid = write(AccessLog.Format.SQUID, l -> l.requestRefused(malformed)).trim();
    assertTrue(squid.endsWith(" NONE_NONE/400 0 - - - HIER_NONE/none -"), "no policy looked at it: " + squid);
  }

  @Test
  void tunnelLine() throws Exception {
    String line = write(AccessLog.Format.JSON, l -> l.tunnelClosed(
        new ProxyListener.TunnelRecord("10.0.0.7", "example.com", 443, 100, 2000, 3_000_000, false, "bob",
            new RoleVerdict("crawler", RoleVerdict.Outcome.ALLOW, "allow *.example.com"), io.hopwise.ClientLeg.NONE, null)));
    JsonNode n = new ObjectMapper().readTree(line);
    assertEquals("tunnel", n.get("type").asText());
    assertEquals("10.0.0.7", n.get("client").asText(), "issue 26: tunnel lines named no client");
    assertFalse(n.get("aborted").asBoolean());
    assertEquals("example.com:443", n.get("target").asText());
    assertEquals(100, n.get("bytes_in").asLong());
    assertEquals(2000, n.get("bytes_out").asLong());
    assertEquals("bob", n.get("user").asText());
    assertEquals("crawler", n.get("role").asText());
    assertEquals("allow", n.get("decision").asText());
    assertEquals("allow *.example.com", n.get("rule").asText());
  }

  // Issue 22: a tunnel cut by a reset says so, as an aborted request does.
  @Test
  void abortedTunnelLine() throws Exception {
    ProxyListener.TunnelRecord cut = new ProxyListener.TunnelRecord("10.0.0.7", "example.com", 443, 100, 2000, 3_000_000, true,
        null, RoleVerdict.NONE, io.hopwise.ClientLeg.NONE, null);
    JsonNode n = new ObjectMapper().readTree(write(AccessLog.Format.JSON, l -> l.tunnelClosed(cut)));
    assertTrue(n.get("aborted").asBoolean());
    String squid = write(AccessLog.Format.SQUID, l -> l.tunnelClosed(cut)).trim();
    assertTrue(squid.contains(" 10.0.0.7 TCP_TUNNEL_ABORTED/200 2000 CONNECT example.com:443 "), squid);
  }

  @Test
  void offWritesNothing() {
    assertEquals("", write(AccessLog.Format.OFF, l -> l.requestCompleted(RECORD)));
  }
}
