package io.hopwise.policy;

import java.util.Objects;

/**
 * The answer of a policy check. A refusal carries a short reason meant for the plain-text body of
 * the error response and for the log; it names the rule so an operator can tell which one fired.
 *
 * @param verdict allowed, denied (403) or a loop back to this proxy (508, http-rules D2)
 * @param reason empty when allowed
 */
public record Decision(Verdict verdict, String reason) {
  public enum Verdict { ALLOWED, DENIED, LOOP }

  public static final Decision ALLOW = new Decision(Verdict.ALLOWED, "");

  public Decision {
    Objects.requireNonNull(verdict, "verdict");
    Objects.requireNonNull(reason, "reason");
  }

  public static Decision deny(String reason) {
    return new Decision(Verdict.DENIED, reason);
  }

  public static Decision loop(String reason) {
    return new Decision(Verdict.LOOP, reason);
  }

  public boolean allowed() {
    return verdict == Verdict.ALLOWED;
  }

  /** The status to answer a refusal with: 403 (RFC 9110 15.5.4) or 508 (RFC 5842 7.2); 0 if allowed. */
  public int status() {
    return switch (verdict) {
      case ALLOWED -> 0;
      case DENIED -> 403;
      case LOOP -> 508;
    };
  }
}
