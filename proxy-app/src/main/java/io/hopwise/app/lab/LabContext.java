package io.hopwise.app.lab;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.hopwise.ProxyListener;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * What an experiment works with: the network, the proxy under test, the same proxy in dumb mode,
 * one with a 1 MB request-body limit, and the exchanges the proxy under test recorded.
 */
record LabContext(LabOptions options, LabNetwork network, io.hopwise.HopwiseProxy proxy, io.hopwise.HopwiseProxy dumb,
    io.hopwise.HopwiseProxy limited, Records records, io.vertx.core.Vertx vertx, io.hopwise.ProxyOptions proxyOptions) {
  /** One more proxy for an experiment of its own, on a port of its own (the caller closes it). */
  io.hopwise.HopwiseProxy startProxy(io.hopwise.ProxyOptions.Mode mode) throws Exception {
    return startProxy(b -> b.setMode(mode));
  }

  /** The same, with the lab's proxy options changed by {@code change}. */
  io.hopwise.HopwiseProxy startProxy(java.util.function.UnaryOperator<io.hopwise.ProxyOptionsBuilder> change) throws Exception {
    return io.hopwise.server.ProxyServer.start(vertx, change.apply(proxyOptions.toBuilder().setPort(0)).build(),
        io.hopwise.ProxyListener.NONE).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  int proxyPort() {
    return proxy.port();
  }

  static final ObjectMapper JSON = new ObjectMapper();

  /** The proxy's exchange records, as its listener hands them over. */
  static final class Records implements ProxyListener {
    private final LinkedBlockingQueue<ExchangeRecord> queue = new LinkedBlockingQueue<>();

    @Override
    public void requestCompleted(ExchangeRecord record) {
      queue.add(record);
    }

    void clear() {
      queue.clear();
    }

    /** The next {@code n} records, waiting up to 10 s for each. */
    List<ExchangeRecord> drain(int n) throws InterruptedException {
      List<ExchangeRecord> out = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        ExchangeRecord r = queue.poll(10, TimeUnit.SECONDS);
        if (r == null) {
          throw new IllegalStateException("the proxy recorded " + i + " of " + n + " exchanges");
        }
        out.add(r);
      }
      return out;
    }
  }
}
