package io.hopwise.policy;

import io.hopwise.http.HttpFields;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Basic proxy authentication (RFC 9110 11.7.1-11.7.2, RFC 7617) against a credentials file:
 * <pre>
 * # comment
 * alice:pbkdf2-sha256:600000:&lt;salt-base64&gt;:&lt;hash-base64&gt;
 * </pre>
 * one user per line, made with {@link #hashLine}. Blank lines and lines starting with {@code #} are
 * ignored; surrounding whitespace is not part of a line.
 *
 * <p>Key derivation is deliberately slow (about half a second on a busy core at the default 600,000
 * iterations), and browsers send {@code Proxy-Authorization} on every request. So an instance
 * remembers the outcome per distinct header value (by its SHA-256, in two bounded LRU maps so a
 * flood of bad guesses cannot evict the good ones), and {@link #quickAnswer} tells the caller when
 * no derivation is needed; otherwise call {@link #authenticate} off the event loop. No password or
 * header value is kept, logged, or shown by {@code toString}.
 */
public final class BasicAuth {
  static final int CACHE_SIZE = 1024;
  private static final String FORMAT = "user:" + PasswordHash.SCHEME + ":iterations:salt:hash";

  /** Why a request is not authenticated; for logs and counters, never for the client (all 407). */
  public enum Failure { MISSING, WRONG_SCHEME, MALFORMED, UNKNOWN_USER, WRONG_PASSWORD }

  /**
   * @param user the user named in the credentials (also on failure, for fail2ban-style logs), or
   *     null when none could be read
   * @param failure null when authenticated
   */
  public record Outcome(String user, Failure failure) {
    public boolean authenticated() {
      return failure == null;
    }
  }

  private final Map<String, PasswordHash> users;
  /** Derived against for an unknown user, so that timing does not tell which users exist. */
  private final PasswordHash decoy;
  private final Map<String, Outcome> passed = lru();
  private final Map<String, Outcome> failed = lru();

  private BasicAuth(Map<String, PasswordHash> users) {
    this.users = Map.copyOf(users);
    this.decoy = PasswordHash.decoy(users.values().iterator().next().iterations());
  }

  /** A credentials-file entry for {@code user}; throws {@link IllegalArgumentException} for a bad user or password. */
  public static String hashLine(String user, char[] password, SecureRandom random) {
    return hashLine(user, password, random, PasswordHash.DEFAULT_ITERATIONS);
  }

  public static String hashLine(String user, char[] password, SecureRandom random, int iterations) {
    String problem = userProblem(user);
    if (problem != null) {
      throw new IllegalArgumentException(problem);
    }
    if (password.length == 0) {
      throw new IllegalArgumentException("empty password");
    }
    if (hasControl(CharBuffer.wrap(password))) {
      throw new IllegalArgumentException("password contains a control character (RFC 7617 2)");
    }
    return user + ":" + PasswordHash.create(password, random, iterations).format();
  }

  /** Reads a credentials file; a bad line is an {@link IllegalArgumentException} naming its number. */
  public static BasicAuth parseFile(List<String> lines) {
    Map<String, PasswordHash> users = new LinkedHashMap<>();
    Map<String, Integer> firstLine = new HashMap<>();
    for (int i = 0; i < lines.size(); i++) {
      int number = i + 1;
      String line = lines.get(i).strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      String[] f = line.split(":", -1);
      if (f.length != 5) {
        throw new IllegalArgumentException("line " + number + ": expected " + FORMAT + ", found "
            + f.length + " field(s) separated by ':'");
      }
      String problem = userProblem(f[0]);
      if (problem != null) {
        throw new IllegalArgumentException("line " + number + ": " + problem);
      }
      if (firstLine.containsKey(f[0])) {
        throw new IllegalArgumentException("line " + number + ": duplicate user '" + f[0]
            + "' (first on line " + firstLine.get(f[0]) + ")");
      }
      try {
        users.put(f[0], PasswordHash.parse(f[1], f[2], f[3], f[4]));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("line " + number + ": " + e.getMessage(), e);
      }
      firstLine.put(f[0], number);
    }
    if (users.isEmpty()) {
      throw new IllegalArgumentException("no users in the credentials file (format: " + FORMAT + ")");
    }
    return new BasicAuth(users);
  }

  /**
   * The {@code Proxy-Authenticate} value for a 407 (RFC 7617 2: realm is required). The realm is a
   * quoted-string (RFC 9110 5.6.4) with {@code "} and {@code \} escaped; control characters and
   * non-ASCII are refused, they would corrupt the header section.
   */
  public static String challenge(String realm) {
    StringBuilder sb = new StringBuilder("Basic realm=\"");
    for (int i = 0; i < realm.length(); i++) {
      char c = realm.charAt(i);
      if ((c < 0x20 && c != '\t') || c >= 0x7f) {
        throw new IllegalArgumentException("realm must be printable ASCII");
      }
      if (c == '"' || c == '\\') {
        sb.append('\\');
      }
      sb.append(c);
    }
    return sb.append('"').toString();
  }

  /** Every {@code Proxy-Authorization} line of a request; more than one is malformed. */
  public Outcome authenticate(HttpFields requestFields) {
    List<String> values = requestFields.getAll("Proxy-Authorization");
    return values.size() > 1 ? new Outcome(null, Failure.MALFORMED) : authenticate(values.isEmpty() ? null : values.get(0));
  }

  /** The full check of one field value (null if absent); may derive a key, so may take a while. */
  public Outcome authenticate(String proxyAuthorization) {
    Optional<Outcome> quick = quickAnswer(proxyAuthorization);
    if (quick.isPresent()) {
      return quick.get();
    }
    String[] credentials = decode(proxyAuthorization);
    char[] password = credentials[1].toCharArray();
    try {
      Outcome outcome = verify(credentials[0], password);
      synchronized (this) {
        (outcome.authenticated() ? passed : failed).put(sha256(proxyAuthorization), outcome);
      }
      return outcome;
    } finally {
      Arrays.fill(password, '\0');
    }
  }

  /**
   * The outcome if it needs no key derivation (missing, wrong scheme, malformed, or seen before);
   * empty means: call {@link #authenticate} on a worker thread.
   */
  public Optional<Outcome> quickAnswer(String proxyAuthorization) {
    if (proxyAuthorization == null || proxyAuthorization.isBlank()) {
      return Optional.of(new Outcome(null, Failure.MISSING));
    }
    String value = proxyAuthorization.strip();
    int sp = value.indexOf(' ');
    String scheme = sp < 0 ? value : value.substring(0, sp);
    // RFC 9110 11.1: auth-scheme is case-insensitive.
    if (!scheme.equalsIgnoreCase("Basic")) {
      return Optional.of(new Outcome(null, Failure.WRONG_SCHEME));
    }
    if (decode(value) == null) {
      return Optional.of(new Outcome(null, Failure.MALFORMED));
    }
    String key = sha256(proxyAuthorization);
    synchronized (this) {
      Outcome seen = passed.get(key);
      return Optional.ofNullable(seen != null ? seen : failed.get(key));
    }
  }

  public int userCount() {
    return users.size();
  }

  @Override
  public String toString() {
    return "BasicAuth[" + users.size() + " user(s)]";
  }

  private Outcome verify(String user, char[] password) {
    PasswordHash stored = users.get(user);
    if (stored == null) {
      decoy.matches(password);
      return new Outcome(user, Failure.UNKNOWN_USER);
    }
    // hashLine refuses empty passwords, so none can match; no need to derive.
    boolean ok = password.length > 0 && stored.matches(password);
    return new Outcome(user, ok ? null : Failure.WRONG_PASSWORD);
  }

  /**
   * credentials = auth-scheme 1*SP token68 (RFC 9110 11.4) with token68 the padded base64
   * (RFC 4648 4) of user-id ":" password in UTF-8 (RFC 7617 2, 2.1); neither part may contain a
   * control character and the user-id no colon. Returns {user, password} or null.
   */
  static String[] decode(String value) {
    String v = value.strip();
    int sp = v.indexOf(' ');
    if (sp < 0) {
      return null;
    }
    String token68 = v.substring(sp + 1).stripLeading();
    if (token68.isEmpty() || token68.length() % 4 != 0 || token68.indexOf(' ') >= 0 || token68.indexOf('\t') >= 0) {
      return null;
    }
    String text;
    try {
      byte[] bytes = Base64.getDecoder().decode(token68);
      text = StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes)).toString();
    } catch (IllegalArgumentException | CharacterCodingException e) {
      return null;
    }
    int colon = text.indexOf(':');
    if (colon < 0 || hasControl(text)) {
      return null;
    }
    return new String[] {text.substring(0, colon), text.substring(colon + 1)};
  }

  /** Why a name cannot be a user-id in the file, or null. */
  private static String userProblem(String user) {
    if (user == null || user.isEmpty()) {
      return "empty user name";
    }
    if (user.indexOf(':') >= 0) {
      return "user name contains ':' (RFC 7617 2)";
    }
    if (hasControl(user)) {
      return "user name contains a control character (RFC 7617 2)";
    }
    if (!user.equals(user.strip()) || user.startsWith("#")) {
      return "user name starts with '#' or has surrounding whitespace";
    }
    return null;
  }

  /** CTL of RFC 5234 B.1, which RFC 7617 2 forbids in user-id and password. */
  private static boolean hasControl(CharSequence s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x20 || c == 0x7f) {
        return true;
      }
    }
    return false;
  }

  private static String sha256(String value) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(value.strip().getBytes(StandardCharsets.UTF_8));
      return Base64.getEncoder().encodeToString(d);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
    }
  }

  private static Map<String, Outcome> lru() {
    return new LinkedHashMap<>(64, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, Outcome> eldest) {
        return size() > CACHE_SIZE;
      }
    };
  }
}
