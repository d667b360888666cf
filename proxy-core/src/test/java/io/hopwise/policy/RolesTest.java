package io.hopwise.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hopwise.policy.Role.Mode;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/** Roles (issue 26): which role a client has, and what the role decides, as tables of named cases. */
class RolesTest {
  private static Role role(String name, Mode mode, List<String> allow, List<String> deny, PortRanges ports, boolean connect) {
    return new Role(name, mode, List.of(), List.of(), allow, deny, ports, connect);
  }

  private static final Role PAYMENTS = new Role("payments", Mode.ENFORCE, List.of("alice"), List.of("10.1.0.0/16"),
      List.of("api.stripe.com", "*.example.com", "192.0.2.0/24"), List.of("bad.example.com"), PortRanges.of(443, 8443), true);
  private static final Role CRAWLER = new Role("crawler", Mode.REPORT, List.of("bob"), List.of("10.2.0.0/16", "10.1.2.0/24"),
      List.of("*.wikipedia.org"), List.of(), PortRanges.NONE, false);
  private static final Role BUILD = new Role("build", Mode.OPEN, List.of(), List.of("10.3.0.0/16"),
      List.of("repo.maven.apache.org"), List.of(), PortRanges.NONE, false);
  private static final Roles ROLES = Roles.of(List.of(PAYMENTS, CRAWLER, BUILD), null, null);

  static Stream<Arguments> roleOf() {
    return Stream.of(
        Arguments.of("user listed in a role", ROLES, "alice", "203.0.113.9", "payments"),
        Arguments.of("user beats address", ROLES, "bob", "10.1.0.5", "crawler"),
        Arguments.of("address, first role in order", ROLES, null, "10.1.2.3", "payments"),
        Arguments.of("address of another role", ROLES, null, "10.2.0.1", "crawler"),
        Arguments.of("unknown user falls back to address", ROLES, "mallory", "10.3.1.1", "build"),
        Arguments.of("IPv4-mapped IPv6 address is its IPv4 address", ROLES, null, "::ffff:10.2.0.1", "crawler"),
        Arguments.of("nobody claims it: the built-in open role", ROLES, null, "203.0.113.9", "default"),
        Arguments.of("nobody claims it: the named default role", Roles.of(List.of(PAYMENTS, CRAWLER), "crawler", null),
            null, "203.0.113.9", "crawler"),
        Arguments.of("static role beats user and address", Roles.of(List.of(PAYMENTS, CRAWLER), null, "crawler"),
            "alice", "10.1.0.5", "crawler"),
        Arguments.of("no roles at all", Roles.NONE, "alice", "10.1.0.5", "default"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource
  void roleOf(String name, Roles roles, String user, String address, String expected) {
    assertEquals(expected, roles.roleOf(user, IpAddress.parse(address).orElseThrow()).name());
  }

  static Stream<Arguments> decide() {
    return Stream.of(
        Arguments.of("allowed name", PAYMENTS, "api.stripe.com", 443, false, "allow", "allow api.stripe.com"),
        Arguments.of("name in any case, trailing dot", PAYMENTS, "API.Stripe.com.", 443, false, "allow", "allow api.stripe.com"),
        Arguments.of("wildcard covers a subdomain", PAYMENTS, "a.b.example.com", 443, true, "allow", "allow *.example.com"),
        Arguments.of("wildcard does not cover the name itself", PAYMENTS, "example.com", 443, false, "deny", "not in allow"),
        Arguments.of("deny beats allow", PAYMENTS, "bad.example.com", 443, false, "deny", "deny bad.example.com"),
        Arguments.of("not listed", PAYMENTS, "evil.test", 443, false, "deny", "not in allow"),
        Arguments.of("port outside the role's ports", PAYMENTS, "api.stripe.com", 80, false, "deny", "ports 443, 8443"),
        Arguments.of("address in an allowed CIDR", PAYMENTS, "192.0.2.7", 443, false, "allow", "allow 192.0.2.0/24"),
        Arguments.of("address spelled otherwise (decimal)", PAYMENTS, "3221225991", 443, false, "allow", "allow 192.0.2.0/24"),
        Arguments.of("a name whose last label is a number is no host", PAYMENTS, "host.192.0.2.0", 443, false, "deny", "invalid host"),
        Arguments.of("report mode lets a denial through", CRAWLER, "evil.test", 80, false, "report-deny", "not in allow"),
        Arguments.of("report mode, CONNECT not allowed", CRAWLER, "en.wikipedia.org", 443, true, "report-deny", "connect: false"),
        Arguments.of("report mode, allowed", CRAWLER, "en.wikipedia.org", 80, false, "allow", "allow *.wikipedia.org"),
        Arguments.of("open mode does not look", BUILD, "evil.test", 25, true, "allow", "open"),
        Arguments.of("built-in default role is open", Role.DEFAULT, "anything.test", 1, true, "allow", "open"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource
  void decide(String name, Role role, String host, int port, boolean connect, String outcome, String rule) {
    RoleVerdict v = ROLES.decide(role, host, port, connect);
    assertEquals(outcome, v.outcome().configName());
    assertEquals(rule, v.rule());
    assertEquals(role.name(), v.role());
  }

  @Test
  void enforceWithoutAllowListAllowsWhatItDoesNotDeny() {
    Role r = role("r", Mode.ENFORCE, List.of(), List.of("*.internal"), PortRanges.NONE, true);
    Roles roles = Roles.of(List.of(r), null, null);
    assertEquals("no allow list", roles.decide(r, "example.com", 443, true).rule());
    assertTrue(roles.decide(r, "db.internal", 443, true).denied());
  }

  static Stream<Arguments> refused() {
    Role a = role("a", Mode.ENFORCE, List.of(), List.of(), PortRanges.NONE, true);
    return Stream.of(
        Arguments.of("role defined twice", (Runnable) () -> Roles.of(List.of(a, a), null, null), "role a is defined twice"),
        Arguments.of("default role undefined", (Runnable) () -> Roles.of(List.of(a), "b", null),
            "default must name a role of the list, got 'b'"),
        Arguments.of("static role undefined", (Runnable) () -> Roles.of(List.of(a), null, "b"),
            "static must name a role of the list, got 'b'"),
        Arguments.of("user in two roles", (Runnable) () -> Roles.of(List.of(PAYMENTS,
            new Role("b", Mode.ENFORCE, List.of("alice"), List.of(), List.of(), List.of(), PortRanges.NONE, true)), null, null),
            "user alice is in two roles (payments, b)"),
        Arguments.of("bad allow item", (Runnable) () -> role("x", Mode.ENFORCE, List.of("exa mple.com"), List.of(), PortRanges.NONE, true),
            "not a host pattern or CIDR: 'exa mple.com'"),
        Arguments.of("bad mode", (Runnable) () -> Mode.parse("block"), "mode must be enforce, report or open, got 'block'"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource
  void refused(String name, Runnable build, String message) {
    assertEquals(message, assertThrows(IllegalArgumentException.class, build::run).getMessage());
  }
}
