package io.hopwise.bench;

import java.io.IOException;
import java.io.InputStream;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.Locale;
import java.util.function.IntToLongFunction;

/**
 * Two builds' head parsing and rules in one JVM, in turns of a few milliseconds each: did a change
 * to the parser or the rules help? Separate JMH runs of two jars differ by more than such changes
 * do on this shared machine (its neighbours change speed within seconds, and each JVM's JIT
 * compiles a little differently), so here both builds meet the same moments: each is loaded from
 * its own jar by its own class loader, and each turn times A and B back to back (in alternating
 * order), giving one B/A ratio per pair. The median over the pairs is this JVM's answer; a JIT
 * difference between the two loaded copies remains, so {@code bench/head-ab.sh} runs several JVMs,
 * swapping A and B between them.
 *
 * <p>Usage: {@code java -XX:+UseSerialGC -Xmn24m -cp benchmarks.jar io.hopwise.bench.HeadAB
 * A.jar B.jar [seconds] [parseAndRules|parse|orderChanged]}; each jar is a proxy-bench benchmarks.jar. Prints
 * one line: {@code HEADAB a_ns=... b_ns=... ratio=...}.
 */
public final class HeadAB {
  private HeadAB() {}

  public static void main(String[] args) throws Exception {
    if (args.length < 2) {
      System.err.println("usage: HeadAB A.jar B.jar [seconds] [parseAndRules|parse|orderChanged]");
      System.exit(2);
    }
    double seconds = args.length > 2 ? Double.parseDouble(args[2]) : 12;
    if (!(seconds > 0)) {
      System.err.println("HeadAB: seconds must be above 0");
      System.exit(2);
    }
    String mode = args.length > 3 ? args[3] : "parseAndRules";
    IntToLongFunction a = driverIn(Path.of(args[0]), mode);
    IntToLongFunction b = driverIn(Path.of(args[1]), mode);
    Turns.warmUp(a, b);
    int pairs = 0;
    double[] aNs = new double[1 << 16];
    double[] bNs = new double[aNs.length];
    double[] ratios = new double[aNs.length];
    long end = System.nanoTime() + (long) (seconds * 1e9);
    while (System.nanoTime() < end && pairs < aNs.length) {
      if ((pairs & 1) == 0) {
        aNs[pairs] = Turns.nsPerRequest(a);
        bNs[pairs] = Turns.nsPerRequest(b);
      } else {
        bNs[pairs] = Turns.nsPerRequest(b);
        aNs[pairs] = Turns.nsPerRequest(a);
      }
      ratios[pairs] = bNs[pairs] / aNs[pairs];
      pairs++;
    }
    System.out.printf(Locale.ROOT, "HEADAB mode=%s pairs=%d a_ns=%.0f b_ns=%.0f ratio=%.4f%n", mode, pairs,
        Turns.median(aNs, pairs), Turns.median(bNs, pairs), Turns.median(ratios, pairs));
  }

  /** A {@link HeadDriver} whose hopwise classes come from {@code jar} (or a classes directory). */
  static IntToLongFunction driverIn(Path jar, String mode) throws Exception {
    ClassLoader loader = new BuildLoader(jar);
    Class<?> driver = loader.loadClass(HeadDriver.class.getName());
    return (IntToLongFunction) driver.getConstructor(byte[].class, String.class)
        .newInstance(HeadBenchmark.BROWSER_REQUEST, mode);
  }

  /**
   * Loads hopwise from one build's jar, but the driver always from this build, so that both
   * builds run the very same driver code (an older jar may not have it at all).
   */
  private static final class BuildLoader extends URLClassLoader {
    BuildLoader(Path jar) throws MalformedURLException {
      super(new URL[] {jar.toUri().toURL()}, ClassLoader.getPlatformClassLoader());
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
      synchronized (getClassLoadingLock(name)) {
        if (name.equals(HeadDriver.class.getName()) && findLoadedClass(name) == null) {
          byte[] code = driverBytes();
          return defineClass(name, code, 0, code.length);
        }
        return super.loadClass(name, resolve);
      }
    }

    private static byte[] driverBytes() throws ClassNotFoundException {
      try (InputStream in = HeadAB.class.getResourceAsStream("HeadDriver.class")) {
        if (in == null) {
          throw new ClassNotFoundException("HeadDriver.class is not beside HeadAB");
        }
        return in.readAllBytes();
      } catch (IOException e) {
        throw new ClassNotFoundException("reading HeadDriver.class", e);
      }
    }
  }
}
