package io.hopwise.server;

import io.hopwise.ProxyListener;
import io.hopwise.ProxyOptions;
import io.hopwise.http.HttpFields;
import io.hopwise.http.Rejection;
import io.hopwise.http.RequestHead;
import io.hopwise.policy.BasicAuth;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.BiConsumer;

/**
 * Proxy authentication (RFC 9110 11.7) in front of every request: a missing or wrong
 * Proxy-Authorization is a 407 with a challenge. Key derivation is slow on purpose, so it runs
 * off the event loop; repeated credentials are answered from BasicAuth's cache. Failures are
 * logged with the client address for fail2ban-style tools, and counted.
 */
final class AuthGate {
  private static final System.Logger LOG = System.getLogger("io.hopwise.auth");
  private static final BasicAuth.Outcome MALFORMED = new BasicAuth.Outcome(null, BasicAuth.Failure.MALFORMED);

  private final Vertx vertx;
  private final ProxyListener listener;

  AuthGate(Vertx vertx, ProxyListener listener) {
    this.vertx = vertx;
    this.listener = listener;
  }

  /**
   * Calls {@code pass} if the request may go on, else {@code refuse} with the 407 and the
   * challenge field. Either may be called later, on the caller's event loop.
   */
  void check(ProxyOptions options, RequestHead head, String clientAddress, java.util.function.Consumer<String> pass,
      BiConsumer<Rejection, HttpFields> refuse) {
    BasicAuth auth = options.auth();
    List<String> values = head.fields().getAll("Proxy-Authorization");
    Optional<BasicAuth.Outcome> quick = values.size() > 1
        ? Optional.of(MALFORMED)
        : auth.quickAnswer(values.isEmpty() ? null : values.get(0));
    if (quick.isPresent()) {
      decide(options, quick.get(), clientAddress, pass, refuse);
    } else {
      vertx.executeBlocking(() -> auth.authenticate(head.fields()), false).onComplete(ar ->
          decide(options, ar.succeeded() ? ar.result() : MALFORMED, clientAddress, pass, refuse));
    }
  }

  private void decide(ProxyOptions options, BasicAuth.Outcome outcome, String clientAddress, java.util.function.Consumer<String> pass,
      BiConsumer<Rejection, HttpFields> refuse) {
    if (outcome.authenticated()) {
      pass.accept(outcome.user()); // who, for the access log
      return;
    }
    String failure = outcome.failure().name().toLowerCase(Locale.ROOT).replace('_', '-');
    if (outcome.failure() != BasicAuth.Failure.MISSING) {
      LOG.log(System.Logger.Level.WARNING, "proxy authentication failed from " + clientAddress
          + " user=" + (outcome.user() == null ? "-" : outcome.user()) + " reason=" + failure);
    }
    listener.authenticationFailed(failure);
    listener.requestRejected(407, "proxy authentication required");
    refuse.accept(new Rejection(407, "proxy authentication required"),
        HttpFields.of("Proxy-Authenticate", BasicAuth.challenge(options.security().authRealm())));
  }
}
