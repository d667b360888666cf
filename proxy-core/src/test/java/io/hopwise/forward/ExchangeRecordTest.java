package io.hopwise.forward;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.hopwise.ProxyListener;
import io.hopwise.ProxyOptions;
import io.hopwise.testing.ProxyHarness;
import io.hopwise.testing.RawClient;
import io.hopwise.testing.RecordingOrigin;
import io.hopwise.testing.RecordingOrigin.Reply;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** What the proxy reports for each exchange, for access logs and metrics. */
class ExchangeRecordTest {
  @RegisterExtension
  final RecordingOrigin origin = RecordingOrigin.perTest();
  private final BlockingQueue<ProxyListener.ExchangeRecord> records = new LinkedBlockingQueue<>();
  private final ProxyListener recorder = new ProxyListener() {
    @Override
    public void requestCompleted(ExchangeRecord record) {
      records.add(record);
    }
  };

  private ProxyListener.ExchangeRecord nextRecord() throws InterruptedException {
    ProxyListener.ExchangeRecord r = records.poll(5, TimeUnit.SECONDS);
    assertNotNull(r, "no exchange record within 5 s");
    return r;
  }

  /** Request side first, then response, each in the order received. */
  @Test
  void eachRecordNamesTheFieldsRemovedFromItsOwnRequestAndResponse() throws Exception {
    origin.enqueue(Reply.raw("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: X-Trace\r\nX-Trace: 1\r\n"
        + "Keep-Alive: timeout=5\r\n\r\nok"));
    origin.enqueue(Reply.ok("plain"));
    origin.enqueue(Reply.raw("HTTP/1.1 200 OK\r\nContent-Length: 4\r\nKeep-Alive: timeout=5\r\n\r\nlast"));
    try (ProxyHarness proxy = new ProxyHarness(ProxyOptions.builder().setEventLoops(1), recorder);
        RawClient c = proxy.client()) {
      c.send("GET " + origin.url("/1") + " HTTP/1.1\r\nHost: x\r\nConnection: X-Hop\r\nX-Hop: 1\r\n\r\n");
      assertEquals("ok", c.readResponse().bodyText());
      c.send("GET " + origin.url("/2") + " HTTP/1.1\r\nHost: x\r\n\r\n");
      assertEquals("plain", c.readResponse().bodyText());
      c.send("GET " + origin.url("/3") + " HTTP/1.1\r\nHost: x\r\n\r\n");
      assertEquals("last", c.readResponse().bodyText());
    }
    ProxyListener.ExchangeRecord first = nextRecord();
    ProxyListener.ExchangeRecord second = nextRecord();
    ProxyListener.ExchangeRecord third = nextRecord();
    assertEquals(List.of("Connection", "X-Hop", "Connection", "X-Trace", "Keep-Alive"), first.removedFields());
    assertEquals(List.of(), second.removedFields(), "nothing removed, and nothing left over from the first");
    assertEquals(List.of("Keep-Alive"), third.removedFields());
    assertThrows(UnsupportedOperationException.class, () -> first.removedFields().add("X"),
        "a record's list cannot be changed by whoever holds it");
  }
}
