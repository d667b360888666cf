package io.hopwise.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hopwise.http.Origin;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Which way a destination goes (issue 27), as a table: bypass first, then routes in order, then the default. */
class RoutesTest {
  private static final Parent CORP = new Parent("corp", new Origin("http", "proxy.corp.example", 3128), null);
  private static final Parent BACKUP = new Parent("backup", new Origin("http", "proxy2.corp.example", 3128), null);
  private static final Routes ROUTES = Routes.of(
      List.of("localhost", ".internal.example", "10.0.0.0/8"),
      List.of(new Routes.Rule(List.of("*.partner.example", "192.0.2.0/24"), List.of(BACKUP)),
          new Routes.Rule(List.of("partner.example"), List.of()),
          new Routes.Rule(List.of("*.example.com"), List.of(CORP, BACKUP))),
      List.of(CORP));

  static Stream<Arguments> table() {
    return Stream.of(
        Arguments.of("a bypass name: direct", "localhost", "bypass", List.of()),
        Arguments.of("NO_PROXY's .suffix: the name itself", "internal.example", "bypass", List.of()),
        Arguments.of("NO_PROXY's .suffix: below it", "db.internal.example", "bypass", List.of()),
        Arguments.of("a bypass CIDR: an address inside", "10.1.2.3", "bypass", List.of()),
        Arguments.of("a bypass CIDR never matches a name", "ten.example.org", "default", List.of(CORP)),
        Arguments.of("the first route that matches", "api.partner.example", "routes[0]", List.of(BACKUP)),
        Arguments.of("*.suffix is below it, not the name", "partner.example", "routes[1]", List.of()),
        Arguments.of("a route's CIDR", "192.0.2.7", "routes[0]", List.of(BACKUP)),
        Arguments.of("failover order kept", "www.example.com", "routes[2]", List.of(CORP, BACKUP)),
        Arguments.of("names compare in lower case", "WWW.Example.COM", "routes[2]", List.of(CORP, BACKUP)),
        Arguments.of("nothing matches: the default", "example.org", "default", List.of(CORP)),
        Arguments.of("an IPv6 literal outside every CIDR: the default", "2001:db8::1", "default", List.of(CORP)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("table")
  void route(String name, String host, String route, List<Parent> parents) {
    Routes.Choice c = ROUTES.route(host);
    assertEquals(route, c.name());
    assertEquals(parents, c.parents());
    assertEquals(parents.isEmpty(), c.direct());
  }

  @Test
  void withoutParentsEverythingIsDirectByTheDefaultRoute() {
    assertEquals(new Routes.Choice("default", List.of()), Routes.DIRECT.route("example.com"));
    assertFalse(Routes.DIRECT.anyParent());
    assertTrue(ROUTES.anyParent());
  }

  @Test
  void aPatternThatIsNoneIsRefusedNamingIt() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Routes.of(List.of(), List.of(new Routes.Rule(List.of("bad pattern!"), List.of())), List.of()));
    assertTrue(e.getMessage().contains("bad pattern!"), e.getMessage());
  }

  @Test
  void aParentNeverShowsItsCredentials() {
    Parent p = new Parent("corp", new Origin("http", "proxy", 3128), "Basic aG9wOnNlY3JldA==");
    assertFalse(p.toString().contains("aG9w"), p.toString());
    assertEquals("corp (http://proxy:3128, with credentials)", p.toString());
  }
}
