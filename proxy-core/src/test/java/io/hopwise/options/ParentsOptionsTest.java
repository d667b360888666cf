package io.hopwise.options;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hopwise.options.ParentsOptions.ParentSpec;
import io.hopwise.options.ParentsOptions.RouteSpec;
import io.hopwise.policy.Routes;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The {@code parents:} section's checks (issue 27): each mistake is one message naming it. */
class ParentsOptionsTest {
  private static final ParentSpec CORP = ParentSpec.of("corp", "http://proxy.corp.example:3128", null, null);

  static Stream<Arguments> mistakes() {
    return Stream.of(
        Arguments.of("no port in the url", (Runnable) () -> ParentSpec.of("corp", "http://proxy.corp.example", null, null),
            "url must name the port, e.g. http://proxy.corp.example:3128"),
        Arguments.of("a url that is not http or https", (Runnable) () -> ParentSpec.of("corp", "socks5://p:1080", null, null),
            "url must be http://host:port or https://host:port"),
        Arguments.of("credentials in a config file's url", (Runnable) () -> ParentSpec.of("corp", "http://u:p@proxy:3128", null, null),
            "no credentials in url"),
        Arguments.of("both credential sources", (Runnable) () -> ParentSpec.of("corp", "http://proxy:3128", "/f", "VAR"),
            "give credentialsFile or credentialsEnv, not both"),
        Arguments.of("a parent named direct", (Runnable) () -> ParentSpec.of("direct", "http://proxy:3128", null, null),
            "'direct' is the route without a parent"),
        Arguments.of("a route to an unknown parent", (Runnable) () -> ParentsOptions.of(List.of(CORP),
            List.of(RouteSpec.of(List.of("*.example.com"), "corpp")), null, null, null), "routes[0].via: no parent named 'corpp'"),
        Arguments.of("a default naming an unknown parent", (Runnable) () -> ParentsOptions.of(List.of(CORP), null, "other",
            null, null), "default: no parent named 'other'"),
        Arguments.of("direct mixed with parents", (Runnable) () -> ParentsOptions.of(List.of(CORP), null,
            List.of("corp", "direct"), null, null), "default: direct goes alone"),
        Arguments.of("two parents of one name", (Runnable) () -> ParentsOptions.of(List.of(CORP, CORP), null, null, null, null),
            "two parents are named corp"),
        Arguments.of("a bad pattern", (Runnable) () -> ParentsOptions.of(List.of(CORP),
            List.of(RouteSpec.of(List.of("not a host"), "corp")), null, null, null), "routes[0].match: not a host pattern or CIDR"),
        Arguments.of("a route without match", (Runnable) () -> RouteSpec.of(null, "corp"), "every route needs match"),
        Arguments.of("downFor of zero", (Runnable) () -> ParentsOptions.of(List.of(CORP), null, null, null, Duration.ZERO),
            "downFor must be between 1ms and 1h"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("mistakes")
  void aMistakeIsOneMessage(String name, Runnable make, String expected) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, make::run);
    assertTrue(e.getMessage().contains(expected), e.getMessage());
  }

  @Test
  void theDefaultsGoDirect() {
    assertEquals(new Routes.Choice("default", List.of()), ParentsOptions.DEFAULTS.routes(Map.of()).route("example.com"));
    assertEquals(Duration.ofSeconds(30), ParentsOptions.DEFAULTS.downFor());
  }

  @Test
  void credentialsBecomeOurBasicProxyAuthorization() {
    Routes r = ParentsOptions.of(List.of(CORP), null, "corp", null, null).routes(Map.of("corp", "hop:s3cret"));
    assertEquals("Basic aG9wOnMzY3JldA==", r.route("example.com").parents().get(0).authorization());
  }

  /** {@code --parent} and {@code HOPWISE_PARENT} take a URL as curl's -x does, credentials percent-encoded. */
  @Test
  void aUrlWithUserinfoKeepsItsCredentialsOutOfTheUrl() {
    ParentSpec p = ParentSpec.fromUrl("parent", "http://hop%40corp:p%3Ass@proxy.corp.example:8080");
    assertEquals("http://proxy.corp.example:8080", p.url());
    assertEquals("hop@corp:p:ss", p.inlineCredentials());
    ParentSpec plain = ParentSpec.fromUrl("parent", "http://proxy.corp.example:8080");
    assertNull(plain.inlineCredentials());
    ParentsOptions single = ParentsOptions.DEFAULTS.withSingleParent(p);
    assertEquals("parent", single.routes(Map.of()).route("anything.example").parents().get(0).name());
  }
}
