package io.hopwise.app.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.hopwise.ClientLeg;
import io.hopwise.ConnectionsSnapshot;
import io.hopwise.FirstToClose;
import io.hopwise.ProxyListener;
import io.hopwise.ProxyListener.ClientCloseReason;
import io.hopwise.ProxyListener.CloseReason;
import io.hopwise.TcpInfo;
import io.hopwise.Timed;
import io.hopwise.UpstreamConnectionRecord;
import io.hopwise.UpstreamLeg;
import io.hopwise.http.Origin;
import io.hopwise.policy.RoleVerdict;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The connection view's JSON from a snapshot (issue 24): each exchange's two legs, the close that
 * followed a connection's last exchange, the TIME_WAIT ledger, the filters and the privacy rule.
 */
class ConnectionsViewTest {
  private static final Origin ORIGIN = new Origin("http", "origin.test", 8080);
  private static final TcpInfo TCP = new TcpInfo(120, 40, 10, Integer.MAX_VALUE, 0, 0, 0);

  private static ProxyListener.ExchangeRecord exchange(int request, boolean reused, String target, int status) {
    UpstreamLeg up = reused ? new UpstreamLeg(5, true, 3_000_000, -1, -1, -1, 1_000_000, 500_000, null).routed("routes[1]", "corp")
        : new UpstreamLeg(5, false, 0, 2_000_000, 1_000_000, -1, 1_000_000, 500_000, TCP).routed("default", null);
    return new ProxyListener.ExchangeRecord("127.0.0.1", "GET", target, status, 0, 100, 5_000_000,
        reused ? ProxyListener.UpstreamUse.REUSED : ProxyListener.UpstreamUse.NEW, false, List.of("Keep-Alive"), null,
        RoleVerdict.NONE, new ClientLeg(1, request), up);
  }

  private static ConnectionsSnapshot snapshot() {
    return new ConnectionsSnapshot("epoll", true, List.of(),
        List.of(new Timed<>(1000, exchange(1, false, "http://origin.test:8080/a?token=secret", 200)),
            new Timed<>(2000, exchange(2, true, "http://origin.test:8080/b", 200))),
        List.of(),
        List.of(new Timed<>(2100, new ProxyListener.ClientConnectionRecord(1, "127.0.0.1:50000", "127.0.0.1:3128", 2,
            ClientCloseReason.NOT_PERSISTENT, FirstToClose.PROXY, 9_000_000, TCP))),
        List.of(new Timed<>(2050, new UpstreamConnectionRecord(5, ORIGIN, "127.0.0.1:40000", "127.0.0.1:8080", 2,
            8_000_000, CloseReason.NOT_REUSABLE, "Connection: close", FirstToClose.PEER, null))));
  }

  private static JsonNode render(ConnectionsView.Filter filter, boolean hidePaths) {
    return ConnectionsView.render(snapshot(), 42, hidePaths, filter, 3000);
  }

  @Test
  void theCloseFollowsTheConnectionsLastExchangeOnly() {
    JsonNode x = render(ConnectionsView.Filter.NONE, false).get("exchanges");
    assertEquals(2, x.size());
    JsonNode last = x.get(0);
    assertEquals(2000, last.get("at").asLong(), "newest first");
    assertEquals("not-persistent", last.at("/closed/client/reason").asText());
    assertEquals("proxy", last.at("/closed/client/first").asText());
    assertEquals("Connection: close", last.at("/closed/upstream/detail").asText());
    assertEquals("origin", last.at("/closed/upstream/first").asText());
    assertEquals("origin", last.at("/closed/upstream/timeWaitHeldBy").asText());
    assertTrue(x.get(1).get("closed").isEmpty(), "the first exchange's connections went on");
  }

  @Test
  void legsSayNewOrReusedWithTheirTimes() {
    JsonNode x = render(ConnectionsView.Filter.NONE, false).get("exchanges");
    JsonNode first = x.get(1);
    assertTrue(first.at("/client/new").asBoolean());
    assertFalse(first.at("/upstream/reused").asBoolean());
    assertEquals(2.0, first.at("/upstream/dnsMs").asDouble());
    assertEquals(-1.0, first.at("/upstream/tlsMs").asDouble(), "no TLS for http");
    assertEquals(120, first.at("/upstream/tcpAtConnect/rttUs").asLong());
    JsonNode second = x.get(0);
    assertEquals(2, second.at("/client/request").asInt());
    assertTrue(second.at("/upstream/reused").asBoolean());
    // Issue 27: the way each upstream leg went.
    assertEquals("routes[1]", second.at("/upstream/route").asText());
    assertEquals("corp", second.at("/upstream/parent").asText());
    assertEquals("default", first.at("/upstream/route").asText());
    assertTrue(first.at("/upstream/parent").isNull(), "direct");
    assertEquals(3.0, second.at("/upstream/idleMs").asDouble());
  }

  @Test
  void queriesAreNeverShownAndPathsOnlyWhenAllowed() {
    assertEquals("http://origin.test:8080/a", render(ConnectionsView.Filter.NONE, false).at("/exchanges/1/target").asText());
    assertEquals("http://origin.test:8080", render(ConnectionsView.Filter.NONE, true).at("/exchanges/1/target").asText());
    assertFalse(render(ConnectionsView.Filter.NONE, false).toString().contains("secret"));
  }

  @Test
  void theLedgerSaysWhoHoldsTimeWait() {
    JsonNode root = render(ConnectionsView.Filter.NONE, false);
    assertEquals(42, root.get("timeWait").asLong());
    JsonNode ledger = root.get("closedConnections");
    assertEquals(2, ledger.size());
    assertEquals("client", ledger.get(0).get("leg").asText());
    assertEquals("proxy", ledger.get(0).get("timeWaitHeldBy").asText());
    assertEquals("upstream", ledger.get(1).get("leg").asText());
  }

  @Test
  void filters() {
    assertEquals(1, render(ConnectionsView.Filter.of(Map.of("reason", "Connection: close")), false).get("exchanges").size());
    assertEquals(1, render(ConnectionsView.Filter.of(Map.of("reason", "not-persistent")), false).get("exchanges").size());
    assertEquals(0, render(ConnectionsView.Filter.of(Map.of("reason", "idle-timeout")), false).get("exchanges").size());
    assertEquals(0, render(ConnectionsView.Filter.of(Map.of("errors", "1")), false).get("exchanges").size());
    assertEquals(2, render(ConnectionsView.Filter.of(Map.of("origin", "origin.test")), false).get("exchanges").size());
    assertEquals(0, render(ConnectionsView.Filter.of(Map.of("client", "10.0.0.1")), false).get("exchanges").size());
  }

  @Test
  void nioSaysTcpInfoIsNotAvailable() {
    ConnectionsSnapshot s = snapshot();
    ConnectionsSnapshot nio = new ConnectionsSnapshot("nio", false, s.open(), s.exchanges(), s.tunnels(), s.clientClosed(),
        s.upstreamClosed());
    assertEquals("not available on this transport (nio)",
        ConnectionsView.render(nio, -1, false, ConnectionsView.Filter.NONE, 0).get("tcpInfo").asText());
  }
}
