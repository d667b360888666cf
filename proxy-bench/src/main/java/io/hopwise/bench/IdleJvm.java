package io.hopwise.bench;

/**
 * A JVM that does nothing: the resident memory of the runtime itself, under the proxy's JVM
 * options, for bench/floor.sh (issue 28, target 7). Prints one line when it is up, then waits
 * until it is killed, or for at most the seconds given (default 600), so that it always ends.
 *
 * <p>{@code java @conf/jvm.options -cp proxy-bench/target/benchmarks.jar io.hopwise.bench.IdleJvm [SECONDS]}
 */
public final class IdleJvm {
  private IdleJvm() {}

  public static void main(String[] args) throws InterruptedException {
    boolean given = args.length == 1 && args[0].matches("[0-9]{1,5}");
    long seconds = args.length == 0 ? 600 : given ? Long.parseLong(args[0]) : -1;
    if (seconds < 1 || seconds > 86_400) {
      System.err.println("IdleJvm: SECONDS must be 1..86400");
      System.exit(2);
    }
    System.out.println("idle jvm up");
    Thread.sleep(seconds * 1000);
  }
}
