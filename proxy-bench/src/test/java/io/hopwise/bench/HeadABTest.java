package io.hopwise.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hopwise.http.RequestHeadParser;
import java.nio.file.Path;
import java.util.function.IntToLongFunction;
import org.junit.jupiter.api.Test;

class HeadABTest {
  /** Where this build's hopwise classes are: proxy-core's jar or classes directory. */
  private static Path thisBuild() throws Exception {
    return Path.of(RequestHeadParser.class.getProtectionDomain().getCodeSource().getLocation().toURI());
  }

  @Test
  void eachBuildRunsTheDriverOnHopwiseClassesOfItsOwn() throws Exception {
    IntToLongFunction a = HeadAB.driverIn(thisBuild(), "parseAndRules");
    IntToLongFunction b = HeadAB.driverIn(thisBuild(), "parseAndRules");
    ClassLoader la = a.getClass().getClassLoader();
    ClassLoader lb = b.getClass().getClassLoader();
    // The driver is defined in each build's loader, not shared from the harness's.
    assertEquals(HeadDriver.class.getName(), a.getClass().getName());
    assertNotSame(HeadDriver.class, a.getClass());
    assertNotSame(a.getClass(), b.getClass());
    // Each resolves the parser from its own build: were hopwise asked of the harness's loader first,
    // both builds would run the same code and every ratio would be 1.
    Class<?> parserA = la.loadClass(RequestHeadParser.class.getName());
    assertNotSame(RequestHeadParser.class, parserA);
    assertNotSame(parserA, lb.loadClass(RequestHeadParser.class.getName()));
    assertSame(la, parserA.getClassLoader());
  }

  @Test
  void theDriverParsesAndAppliesTheRules() throws Exception {
    IntToLongFunction rules = HeadAB.driverIn(thisBuild(), "parseAndRules");
    IntToLongFunction parse = HeadAB.driverIn(thisBuild(), "parse");
    assertTrue(rules.applyAsLong(50) > 0);
    assertTrue(parse.applyAsLong(50) > 0);
    // What each did last: the rules' outcome, or the parser's.
    Object ruled = rules.getClass().getField("sink").get(null);
    Object parsed = parse.getClass().getField("sink").get(null);
    assertEquals("io.hopwise.http.HeaderRules$Outcome", ruled.getClass().getName());
    assertEquals("io.hopwise.http.ParseOutcome$Parsed", parsed.getClass().getName());
    assertInstanceOf(Record.class, ruled);
  }
}
