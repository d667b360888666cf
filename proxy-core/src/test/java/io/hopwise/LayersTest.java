package io.hopwise;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The layers README's architecture describes, checked on proxy-core's compiled classes (issue 23
 * item 5): policy is pure, and no two packages depend on each other. (Mechanism never importing
 * proxy-app is the Maven module boundary's to enforce: proxy-core cannot see it.)
 */
@AnalyzeClasses(packages = "io.hopwise", importOptions = ImportOption.DoNotIncludeTests.class)
class LayersTest {
  /** http/, policy/ and options/ are values in, values out: no sockets, no mechanism, not even the API. */
  @ArchTest
  static final ArchRule policyIsPure = noClasses().that().resideInAnyPackage("io.hopwise.http..", "io.hopwise.policy..", "io.hopwise.options..")
      .should().dependOnClassesThat().resideInAnyPackage("io.hopwise", "io.hopwise.io..", "io.hopwise.server..",
          "io.hopwise.forward..", "io.hopwise.upstream..", "io.hopwise.tunnel..", "io.hopwise.dumb..",
          "io.vertx.core.net..", "io.netty.channel..")
      .because("policy is pure code with no I/O; mechanism calls it, never the other way");

  /** Each package, the API at the top included, is one slice; a cycle between two is refused. */
  @ArchTest
  static final ArchRule noPackageCycles = slices().matching("io.(hopwise).(*)..").namingSlices("$2")
      .should().beFreeOfCycles();

  /** The API package (options, listener, the running proxy) sits above nothing it could loop through. */
  @ArchTest
  static final ArchRule apiDoesNotReachIntoMechanism = noClasses().that().resideInAPackage("io.hopwise")
      .should().dependOnClassesThat().resideInAnyPackage("io.hopwise.io..", "io.hopwise.server..",
          "io.hopwise.forward..", "io.hopwise.upstream..", "io.hopwise.tunnel..", "io.hopwise.dumb..")
      .because("every mechanism package depends on the API, so the API must not depend on one");
}
