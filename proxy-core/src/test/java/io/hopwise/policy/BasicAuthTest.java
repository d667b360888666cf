package io.hopwise.policy;

import static io.hopwise.policy.BasicAuth.Failure.MALFORMED;
import static io.hopwise.policy.BasicAuth.Failure.MISSING;
import static io.hopwise.policy.BasicAuth.Failure.UNKNOWN_USER;
import static io.hopwise.policy.BasicAuth.Failure.WRONG_PASSWORD;
import static io.hopwise.policy.BasicAuth.Failure.WRONG_SCHEME;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hopwise.http.HttpFields;
import io.hopwise.policy.BasicAuth.Failure;
import io.hopwise.policy.BasicAuth.Outcome;
import java.nio.charset.StandardCharsets;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** RFC 7617 Basic proxy credentials, the credentials file, and PBKDF2 (RFC 8018). */
class BasicAuthTest {
  /** Low iterations keep the tests fast; the format and code path are the same. */
  private static final int FAST = 1000;
  private static final String ALICE = BasicAuth.hashLine("alice", "open sesame".toCharArray(), seeded(1), FAST);
  private static final String BOB = BasicAuth.hashLine("bob", "pässwörd:with colon".toCharArray(), seeded(2), FAST);
  private static final List<String> FILE = List.of("# proxy users", "", ALICE, "  " + BOB + "\r");

  private static SecureRandom seeded(long seed) {
    try {
      SecureRandom r = SecureRandom.getInstance("SHA1PRNG");
      r.setSeed(seed);
      return r;
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }

  private static String basic(String userColonPassword) {
    return "Basic " + b64(userColonPassword.getBytes(StandardCharsets.UTF_8));
  }

  private static String b64(byte[] bytes) {
    return java.util.Base64.getEncoder().encodeToString(bytes);
  }

  private static Outcome ok(String user) {
    return new Outcome(user, null);
  }

  private static Outcome fail(String user, Failure failure) {
    return new Outcome(user, failure);
  }

  static Stream<Arguments> headers() {
    return Stream.of(
        Arguments.of("good", basic("alice:open sesame"), ok("alice")),
        Arguments.of("lower-case scheme (RFC 9110 11.1)", "basic " + b64("alice:open sesame".getBytes(StandardCharsets.UTF_8)), ok("alice")),
        Arguments.of("upper-case scheme", "BASIC " + b64("alice:open sesame".getBytes(StandardCharsets.UTF_8)), ok("alice")),
        Arguments.of("several spaces after the scheme (1*SP)", "Basic   " + b64("alice:open sesame".getBytes(StandardCharsets.UTF_8)), ok("alice")),
        Arguments.of("surrounding whitespace", "  " + basic("alice:open sesame") + " ", ok("alice")),
        Arguments.of("UTF-8 password with a colon", basic("bob:pässwörd:with colon"), ok("bob")),
        Arguments.of("wrong password", basic("alice:open sesame!"), fail("alice", WRONG_PASSWORD)),
        Arguments.of("password with a trailing space", basic("alice:open sesame "), fail("alice", WRONG_PASSWORD)),
        Arguments.of("user name is case-sensitive", basic("Alice:open sesame"), fail("Alice", UNKNOWN_USER)),
        Arguments.of("unknown user", basic("mallory:open sesame"), fail("mallory", UNKNOWN_USER)),
        Arguments.of("empty password", basic("alice:"), fail("alice", WRONG_PASSWORD)),
        Arguments.of("empty user", basic(":open sesame"), fail("", UNKNOWN_USER)),
        Arguments.of("password in Latin-1, not UTF-8", "Basic " + b64("bob:pässwörd:with colon".getBytes(StandardCharsets.ISO_8859_1)),
            fail(null, MALFORMED)),
        Arguments.of("no colon", basic("aliceopen sesame"), fail(null, MALFORMED)),
        Arguments.of("bad base64 characters", "Basic !!!!", fail(null, MALFORMED)),
        Arguments.of("base64 without padding", "Basic YWxpY2U6eA", fail(null, MALFORMED)),
        Arguments.of("base64url alphabet", "Basic " + b64("alice:o?>".getBytes(StandardCharsets.UTF_8)).replace('/', '_').replace('+', '-'),
            fail(null, MALFORMED)),
        Arguments.of("two tokens", basic("alice:open sesame") + " " + b64("x:y".getBytes(StandardCharsets.UTF_8)), fail(null, MALFORMED)),
        Arguments.of("control character in the password (RFC 7617 2)", basic("alice:open\tsesame"), fail(null, MALFORMED)),
        Arguments.of("scheme without credentials", "Basic", fail(null, MALFORMED)),
        Arguments.of("scheme and spaces only", "Basic    ", fail(null, MALFORMED)),
        Arguments.of("wrong scheme", "Bearer " + b64("alice:open sesame".getBytes(StandardCharsets.UTF_8)), fail(null, WRONG_SCHEME)),
        Arguments.of("Digest", "Digest username=\"alice\", realm=\"x\"", fail(null, WRONG_SCHEME)),
        Arguments.of("scheme glued to credentials", "Basic" + b64("alice:open sesame".getBytes(StandardCharsets.UTF_8)), fail(null, WRONG_SCHEME)),
        Arguments.of("absent", null, fail(null, MISSING)),
        Arguments.of("empty", "", fail(null, MISSING)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("headers")
  void authenticates(String name, String header, Outcome expected) {
    assertEquals(expected, BasicAuth.parseFile(FILE).authenticate(header));
  }

  static Stream<Arguments> fields() {
    String good = basic("alice:open sesame");
    return Stream.of(
        Arguments.of("no field", HttpFields.of("Host", "a"), fail(null, MISSING)),
        Arguments.of("one field", HttpFields.of("Proxy-Authorization", good), ok("alice")),
        Arguments.of("field name in lower case", HttpFields.of("proxy-authorization", good), ok("alice")),
        Arguments.of("two field lines", HttpFields.of("Proxy-Authorization", good, "Proxy-Authorization", good), fail(null, MALFORMED)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("fields")
  void readsTheRequestFields(String name, HttpFields fields, Outcome expected) {
    assertEquals(expected, BasicAuth.parseFile(FILE).authenticate(fields));
  }

  @Test
  void remembersOutcomesSoOnlyTheFirstRequestDerives() {
    BasicAuth auth = BasicAuth.parseFile(FILE);
    String good = basic("alice:open sesame");
    String bad = basic("alice:guess");
    assertEquals(List.of(Optional.empty(), Optional.empty(), Optional.of(fail(null, MALFORMED))),
        List.of(auth.quickAnswer(good), auth.quickAnswer(bad), auth.quickAnswer("Basic !!!!")));
    assertEquals(List.of(ok("alice"), fail("alice", WRONG_PASSWORD)), List.of(auth.authenticate(good), auth.authenticate(bad)));
    assertEquals(List.of(Optional.of(ok("alice")), Optional.of(fail("alice", WRONG_PASSWORD))),
        List.of(auth.quickAnswer(good), auth.quickAnswer(bad)));
  }

  @Test
  void aFloodOfBadGuessesDoesNotEvictGoodCredentials() {
    BasicAuth auth = BasicAuth.parseFile(FILE);
    String good = basic("alice:open sesame");
    auth.authenticate(good);
    for (int i = 0; i <= BasicAuth.CACHE_SIZE; i++) {
      auth.authenticate(basic("nobody" + i + ":x"));
    }
    assertEquals(List.of(Optional.of(ok("alice")), Optional.empty()),
        List.of(auth.quickAnswer(good), auth.quickAnswer(basic("nobody0:x"))));
  }

  static Stream<Arguments> badFiles() {
    String[] a = ALICE.split(":");
    String salt = a[3];
    String hash = a[4];
    return Stream.of(
        Arguments.of("too few fields", List.of("# users", "alice:pbkdf2-sha256:1000:" + salt),
            "line 2: expected user:pbkdf2-sha256:iterations:salt:hash, found 4 field(s) separated by ':'"),
        Arguments.of("a plain-text password is not echoed", List.of("alice:secret"),
            "line 1: expected user:pbkdf2-sha256:iterations:salt:hash, found 2 field(s) separated by ':'"),
        Arguments.of("too many fields", List.of(ALICE + ":extra"),
            "line 1: expected user:pbkdf2-sha256:iterations:salt:hash, found 6 field(s) separated by ':'"),
        Arguments.of("empty user", List.of(":pbkdf2-sha256:1000:" + salt + ":" + hash), "line 1: empty user name"),
        Arguments.of("control character in the user", List.of("al\u0001ice:pbkdf2-sha256:1000:" + salt + ":" + hash),
            "line 1: user name contains a control character (RFC 7617 2)"),
        Arguments.of("unknown scheme", List.of("", "alice:bcrypt:1000:" + salt + ":" + hash),
            "line 2: unknown hash scheme, expected pbkdf2-sha256"),
        Arguments.of("iterations not a number", List.of("alice:pbkdf2-sha256:many:" + salt + ":" + hash),
            "line 1: iterations must be a number from 1000 to 10000000"),
        Arguments.of("iterations with a sign", List.of("alice:pbkdf2-sha256:+1000:" + salt + ":" + hash),
            "line 1: iterations must be a number from 1000 to 10000000"),
        Arguments.of("iterations too low", List.of("alice:pbkdf2-sha256:999:" + salt + ":" + hash),
            "line 1: iterations must be a number from 1000 to 10000000"),
        Arguments.of("iterations too high", List.of("alice:pbkdf2-sha256:10000001:" + salt + ":" + hash),
            "line 1: iterations must be a number from 1000 to 10000000"),
        Arguments.of("salt not base64", List.of("alice:pbkdf2-sha256:1000:!!!!!!!!:" + hash), "line 1: salt is not valid padded base64"),
        Arguments.of("salt without padding", List.of("alice:pbkdf2-sha256:1000:" + salt.replace("=", "") + ":" + hash),
            "line 1: salt is not valid padded base64"),
        Arguments.of("salt too short", List.of("alice:pbkdf2-sha256:1000:AAAAAA==:" + hash), "line 1: salt must be at least 8 bytes"),
        Arguments.of("hash of the wrong length", List.of("alice:pbkdf2-sha256:1000:" + salt + ":" + salt),
            "line 1: hash must be 32 bytes (SHA-256)"),
        Arguments.of("empty hash", List.of("alice:pbkdf2-sha256:1000:" + salt + ":"), "line 1: hash is not valid padded base64"),
        Arguments.of("duplicate user", List.of(ALICE, BOB, ALICE), "line 3: duplicate user 'alice' (first on line 1)"),
        Arguments.of("no users", List.of("# nobody yet", "   "),
            "no users in the credentials file (format: user:pbkdf2-sha256:iterations:salt:hash)"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badFiles")
  void refusesBadFiles(String name, List<String> lines, String message) {
    assertEquals(message, assertThrows(IllegalArgumentException.class, () -> BasicAuth.parseFile(lines)).getMessage());
  }

  @Test
  void readsCommentsBlankLinesAndCrLf() {
    BasicAuth auth = BasicAuth.parseFile(FILE);
    assertEquals("BasicAuth[2 user(s)]", auth.toString());
  }

  @Test
  void hashLineRoundTrips() {
    String line = BasicAuth.hashLine("carol", "correct horse".toCharArray(), new SecureRandom(), FAST);
    assertTrue(line.matches("carol:pbkdf2-sha256:1000:[A-Za-z0-9+/]{22}==:[A-Za-z0-9+/]{43}="), line);
    BasicAuth auth = BasicAuth.parseFile(List.of(line));
    assertEquals(List.of(ok("carol"), fail("carol", WRONG_PASSWORD)),
        List.of(auth.authenticate(basic("carol:correct horse")), auth.authenticate(basic("carol:correct horsE"))));
  }

  @Test
  void hashLineUsesTheDefaultIterationsAndTheGivenRandom() {
    String first = BasicAuth.hashLine("dave", "pw".toCharArray(), seeded(7));
    String again = BasicAuth.hashLine("dave", "pw".toCharArray(), seeded(7), PasswordHash.DEFAULT_ITERATIONS);
    String other = BasicAuth.hashLine("dave", "pw".toCharArray(), seeded(8), FAST);
    assertTrue(first.startsWith("dave:pbkdf2-sha256:600000:"), first);
    assertEquals(first, again);
    assertNotEquals(first.split(":")[3], other.split(":")[3]);
  }

  static Stream<Arguments> badEntries() {
    return Stream.of(
        Arguments.of("empty user", "", "pw", FAST, "empty user name"),
        Arguments.of("colon in the user", "a:b", "pw", FAST, "user name contains ':' (RFC 7617 2)"),
        Arguments.of("control character in the user", "a\nb", "pw", FAST, "user name contains a control character (RFC 7617 2)"),
        Arguments.of("user that reads as a comment", "#admin", "pw", FAST, "user name starts with '#' or has surrounding whitespace"),
        Arguments.of("user with surrounding space", " bob", "pw", FAST, "user name starts with '#' or has surrounding whitespace"),
        Arguments.of("empty password", "bob", "", FAST, "empty password"),
        Arguments.of("control character in the password", "bob", "a\u007fb", FAST, "password contains a control character (RFC 7617 2)"),
        Arguments.of("too few iterations", "bob", "pw", 999, "iterations must be 1000-10000000"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badEntries")
  void hashLineRefuses(String name, String user, String password, int iterations, String message) {
    assertEquals(message, assertThrows(IllegalArgumentException.class,
        () -> BasicAuth.hashLine(user, password.toCharArray(), seeded(1), iterations)).getMessage());
  }

  /** RFC 7914 11: PBKDF2-HMAC-SHA256, P="passwd", S="salt", c=1; the first 32 of its 64 bytes. */
  @Test
  void derivesTheRfc7914TestVector() {
    byte[] expected = HexFormat.of().parseHex("55ac046e56e3089fec1691c22544b605f94185216dde0465e68b9d57c20dacbc");
    assertArrayEquals(expected, PasswordHash.derive("passwd".toCharArray(), "salt".getBytes(StandardCharsets.US_ASCII), 1));
  }

  static Stream<Arguments> challenges() {
    return Stream.of(
        Arguments.of("plain", "hopwise", "Basic realm=\"hopwise\""),
        Arguments.of("spaces", "hopwise proxy", "Basic realm=\"hopwise proxy\""),
        Arguments.of("quotes escaped (RFC 9110 5.6.4)", "say \"hi\"", "Basic realm=\"say \\\"hi\\\"\""),
        Arguments.of("backslash escaped", "a\\b", "Basic realm=\"a\\\\b\""),
        Arguments.of("empty", "", "Basic realm=\"\""));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("challenges")
  void challenge(String name, String realm, String expected) {
    assertEquals(expected, BasicAuth.challenge(realm));
  }

  @Test
  void challengeRefusesHeaderInjection() {
    List<String> messages = new ArrayList<>();
    for (String realm : List.of("a\r\nSet-Cookie: x", "caf\u00e9")) {
      messages.add(assertThrows(IllegalArgumentException.class, () -> BasicAuth.challenge(realm)).getMessage());
    }
    assertEquals(List.of("realm must be printable ASCII", "realm must be printable ASCII"), messages);
  }

  @Test
  void showsNoSecrets() {
    String[] fields = ALICE.split(":");
    PasswordHash hash = PasswordHash.parse(fields[1], fields[2], fields[3], fields[4]);
    assertEquals(List.of("PasswordHash[pbkdf2-sha256, iterations=1000]", "Outcome[user=alice, failure=WRONG_PASSWORD]"),
        List.of(hash.toString(), fail("alice", WRONG_PASSWORD).toString()));
  }
}
