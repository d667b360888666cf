package io.hopwise.app.lab;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hopwise.HopwiseProxy;
import io.hopwise.ProxyOptions;
import io.hopwise.app.UsageException;
import io.hopwise.io.TransportChoice;
import io.hopwise.io.Transports;
import io.hopwise.server.ProxyServer;
import java.io.File;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code hopwise lab} (issue 25): the connection-management chapter, measured through the real
 * proxy over links with a real round-trip time. Builds the network ({@link LabNetwork}), starts
 * the origin and the proxy, runs the experiments, prints each one's table and writes
 * {@code lab.json}; removes everything it made, also when an experiment fails.
 */
public final class Lab {
  /** In the chapter's order; their names are LabOptions.EXPERIMENTS. */
  static final List<Experiment> EXPERIMENTS = List.of(new HandshakeExperiment(), new NagleExperiment(),
      new SlowStartExperiment(), new TimeWaitExperiment(), new PageLoadExperiment(), new DumbKeepAliveExperiment(),
      new ProxyConnectionExperiment(), new ConnectionFieldExperiment(),
      new CloseExperiment());

  private Lab() {}

  /** Exit codes as the program's: 0 done, 1 cannot run here (the reason printed), 2 bad command line. */
  public static int run(List<String> args, PrintStream out, PrintStream err) {
    LabOptions options;
    try {
      if (args.contains("--help") || args.contains("-h")) {
        out.print(LabOptions.USAGE);
        return 0;
      }
      options = LabOptions.parse(args);
    } catch (UsageException e) {
      err.println("hopwise: " + e.getMessage() + " (try hopwise lab --help)");
      return 2;
    }
    String cannot = LabNetwork.cannotRun(new com.sun.security.auth.module.UnixSystem().getUid(), Path.of("/dev/net/tun"),
        onPath("ip"));
    if (cannot != null) {
      err.println("hopwise lab: " + cannot);
      return 1;
    }
    try (LabNetwork net = LabNetwork.create(options.rtt(), options.bitsPerSecond(), options.loss()); LabOrigin origin = LabOrigin.start(net)) {
      Transports.Started started = Transports.start(new io.vertx.core.VertxOptions(), TransportChoice.Kind.AUTO);
      try {
        LabContext.Records records = new LabContext.Records();
        ProxyOptions proxyOptions = ProxyOptions.builder().setHost(LabNetwork.PROXY_ADDRESS).setPort(3128).setEventLoops(1)
            .setClientAccess(List.of(LabNetwork.CLIENT_ADDRESS + "/32"), false)
            .setDestinations(List.<String>of(), List.of(LabNetwork.ORIGIN_ADDRESS + "/32"), List.<String>of(), List.<String>of(),
                List.of())
            .build();
        HopwiseProxy proxy = ProxyServer.start(started.vertx(), proxyOptions, records).toCompletionStage()
            .toCompletableFuture().get(30, TimeUnit.SECONDS);
        proxy.connections(); // the connection view watched: exchanges take TCP_INFO at first and last byte
        // The same proxy in dumb mode (a proxy of the 1990s that relays bytes blindly), beside it.
        HopwiseProxy dumb = ProxyServer.start(started.vertx(), proxyOptions.toBuilder().setPort(3129)
            .setMode(ProxyOptions.Mode.DUMB).build(), io.hopwise.ProxyListener.NONE).toCompletionStage()
            .toCompletableFuture().get(30, TimeUnit.SECONDS);
        // And one that refuses request bodies over 1 MB (413), to close on a client still sending.
        HopwiseProxy limited = ProxyServer.start(started.vertx(), proxyOptions.toBuilder().setPort(3130)
            .setMaxRequestBodyBytes(1 << 20).build(), io.hopwise.ProxyListener.NONE).toCompletionStage()
            .toCompletableFuture().get(30, TimeUnit.SECONDS);
        out.printf("hopwise lab: client %s --%s-- proxy %s (%s transport) --%s-- origin %s:%d; %s each way, loss %.1f%%%n",
            LabNetwork.CLIENT_ADDRESS, options.rtt().toMillis() + " ms", LabNetwork.PROXY_ADDRESS, started.transport().kind(),
            options.rtt().toMillis() + " ms", LabNetwork.ORIGIN_ADDRESS, LabOrigin.PORT,
            options.bitsPerSecond() == 0 ? "no rate limit" : options.bitsPerSecond() / 1_000_000 + " Mbit/s", options.loss() * 100);
        LabContext lab = new LabContext(options, net, proxy, dumb, limited, records, started.vertx(), proxyOptions);
        ObjectNode results = LabContext.JSON.createObjectNode();
        results.put("rttMs", options.rtt().toNanos() / 1e6).put("loss", options.loss())
            .put("bitsPerSecond", options.bitsPerSecond()).put("transport",
            String.valueOf(started.transport().kind()));
        ObjectNode experiments = results.putObject("experiments");
        for (Experiment e : EXPERIMENTS) {
          if (options.runs(e.name())) {
            experiments.set(e.name(), e.run(lab, out));
          }
        }
        results.putObject("links").put("clientPacketsCarried", net.clientLink.carried.get())
            .put("clientPacketsDropped", net.clientLink.dropped.get()).put("originPacketsCarried", net.originLink.carried.get())
            .put("originPacketsDropped", net.originLink.dropped.get());
        Files.createDirectories(options.out());
        Path json = options.out().resolve("lab.json");
        LabContext.JSON.writerWithDefaultPrettyPrinter().writeValue(json.toFile(), results);
        Path report = options.out().resolve("report.html");
        Files.writeString(report, Report.html(LabContext.JSON.writeValueAsString(results)));
        out.println();
        out.println("hopwise lab: raw results in " + json + ", the report in " + report);
        proxy.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        dumb.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        limited.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        return 0;
      } finally {
        started.vertx().close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      }
    } catch (Exception e) {
      err.println("hopwise lab: failed: " + e.getMessage());
      return 1;
    }
  }

  private static boolean onPath(String command) {
    for (String dir : System.getenv().getOrDefault("PATH", "/usr/sbin:/usr/bin:/sbin:/bin").split(File.pathSeparator)) {
      if (Files.isExecutable(Path.of(dir, command))) {
        return true;
      }
    }
    return Files.isExecutable(Path.of("/usr/sbin", command)) || Files.isExecutable(Path.of("/sbin", command));
  }
}
