package io.hopwise.app.lab;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The lab's network: a client namespace and an origin namespace, each joined to the namespace the
 * lab (and the proxy under test) runs in by a {@link DelayLink}, so that both hops have a real
 * round-trip time:
 * <pre>
 *   client ns  10.77.1.2 ==link== 10.77.1.1  proxy (here)  10.77.2.1 ==link== 10.77.2.2  origin ns
 * </pre>
 * Code runs "in" a namespace on a thread that called setns(2): the sockets it opens live there.
 * {@link #close} removes the namespaces (and with them the devices moved into them).
 */
final class LabNetwork implements AutoCloseable {
  static final String CLIENT_NS = "hopwise-lab-client";
  static final String ORIGIN_NS = "hopwise-lab-origin";
  static final String PROXY_ADDRESS = "10.77.1.1";
  static final String CLIENT_ADDRESS = "10.77.1.2";
  static final String PROXY_OUT_ADDRESS = "10.77.2.1";
  static final String ORIGIN_ADDRESS = "10.77.2.2";

  private final List<AutoCloseable> open = new ArrayList<>();
  private final ExecutorService client;
  private final ExecutorService origin;
  final DelayLink clientLink;
  final DelayLink originLink;

  /**
   * What stops the lab from running here, or null: it needs root (namespaces, TUN devices),
   * {@code /dev/net/tun} and {@code ip} (iproute2). Pure but for the file checks.
   */
  static String cannotRun(long euid, Path devNetTun, boolean hasIp) {
    if (euid != 0) {
      return "needs root: it makes network namespaces and TUN devices (run it as root, e.g. sudo bin/hopwise lab)";
    }
    if (!Files.exists(devNetTun)) {
      return "needs " + devNetTun + " (TUN devices): load the tun module or run where it exists";
    }
    if (!hasIp) {
      return "needs the ip command (Debian: apt-get install iproute2)";
    }
    return null;
  }

  private LabNetwork(Duration rtt, long bitsPerSecond, double loss) throws IOException, InterruptedException {
    for (String ns : List.of(CLIENT_NS, ORIGIN_NS)) {
      ip(true, "netns", "del", ns); // a lab that was killed may have left them
      ip(false, "netns", "add", ns);
    }
    long oneWay = rtt.toNanos() / 2;
    clientLink = link("hwl-c", CLIENT_NS, CLIENT_ADDRESS, "hwl-pc", PROXY_ADDRESS, oneWay, bitsPerSecond, loss, 1);
    originLink = link("hwl-o", ORIGIN_NS, ORIGIN_ADDRESS, "hwl-po", PROXY_OUT_ADDRESS, oneWay, bitsPerSecond, loss, 2);
    client = inNamespace(CLIENT_NS);
    origin = inNamespace(ORIGIN_NS);
  }

  static LabNetwork create(Duration rtt, long bitsPerSecond, double loss) throws IOException, InterruptedException {
    return new LabNetwork(rtt, bitsPerSecond, loss);
  }

  /** A link: device {@code far} moved into {@code ns} with {@code farAddress}, {@code near} here. */
  private DelayLink link(String far, String ns, String farAddress, String near, String nearAddress, long oneWay,
      long bitsPerSecond, double loss, long seed) throws IOException, InterruptedException {
    Tun f = Tun.open(far);
    open.add(f);
    Tun n = Tun.open(near);
    open.add(n);
    ip(false, "link", "set", far, "netns", ns);
    ip(false, "-n", ns, "addr", "add", farAddress, "peer", nearAddress, "dev", far);
    ip(false, "-n", ns, "link", "set", far, "up");
    ip(false, "-n", ns, "link", "set", "lo", "up");
    ip(false, "addr", "add", nearAddress, "peer", farAddress, "dev", near);
    ip(false, "link", "set", near, "up");
    DelayLink link = new DelayLink(f, n, oneWay, bitsPerSecond, loss, 1000, seed);
    link.start();
    open.add(link);
    return link;
  }

  /** One thread that has joined {@code ns}: whatever runs on it opens sockets there. */
  private static ExecutorService inNamespace(String ns) throws IOException {
    ExecutorService ex = threadsIn(ns, 1);
    try {
      ex.submit(() -> null).get(10, java.util.concurrent.TimeUnit.SECONDS); // the thread could join
    } catch (InterruptedException | ExecutionException | java.util.concurrent.TimeoutException e) {
      ex.shutdownNow();
      throw new IOException("cannot join network namespace " + ns + " (setns failed)", e);
    }
    return ex;
  }

  /** {@code n} threads, each of which joins {@code ns} as it starts (setns applies to one thread). */
  static ExecutorService threadsIn(String ns, int n) {
    return Executors.newFixedThreadPool(n, r -> {
      Thread t = new Thread(() -> {
        int fd = LibC.INSTANCE.open("/var/run/netns/" + ns, 0);
        try {
          LibC.INSTANCE.setns(fd, LibC.CLONE_NEWNET);
        } finally {
          LibC.INSTANCE.close(fd);
        }
        r.run();
      }, "lab-" + ns);
      t.setDaemon(true);
      return t;
    });
  }

  <T> T inClient(Callable<T> work) throws Exception {
    return run(client, work);
  }

  <T> T inOrigin(Callable<T> work) throws Exception {
    return run(origin, work);
  }

  private static <T> T run(ExecutorService ex, Callable<T> work) throws Exception {
    try {
      return ex.submit(work).get();
    } catch (ExecutionException e) {
      throw e.getCause() instanceof Exception x ? x : e;
    }
  }

  static void ip(boolean mayFail, String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of("ip"));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes()).strip();
    if (p.waitFor() != 0 && !mayFail) {
      throw new IOException(String.join(" ", cmd) + ": " + output);
    }
  }

  @Override
  public void close() {
    client.shutdownNow();
    origin.shutdownNow();
    for (AutoCloseable c : open) {
      try {
        c.close();
      } catch (Exception e) {
        // going away anyway
      }
    }
    for (String ns : List.of(CLIENT_NS, ORIGIN_NS)) {
      try {
        ip(true, "netns", "del", ns);
      } catch (IOException | InterruptedException e) {
        // nothing more to do
      }
    }
  }
}
