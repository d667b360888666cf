package io.hopwise.policy;

import java.util.Locale;

/**
 * What a client's role said about one request or tunnel, for the decision line: the role, the
 * decision, and the rule that decided (issue 26).
 */
public record RoleVerdict(String role, Outcome outcome, String rule) {
  /** {@code allow}, {@code deny}, or {@code report-deny} (allowed: the role only reports). */
  public enum Outcome {
    ALLOW, DENY, REPORT_DENY;

    public String configName() {
      return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
  }

  /** For what no role looked at (a request refused before its destination was known). */
  public static final RoleVerdict NONE = new RoleVerdict("-", Outcome.ALLOW, "-");

  public boolean denied() {
    return outcome == Outcome.DENY;
  }

  /**
   * The verdict to record for a request refused with {@code rejection}: the role's own denial as
   * it is; a policy refusal by another rule (403: a destination or port rule; 407: no valid
   * credentials) as {@code deny} with that rule, in the role it was decided for; anything else
   * (400, 502, 504...) was not a policy decision, so the role's verdict stands.
   */
  public static RoleVerdict refusal(RoleVerdict verdict, io.hopwise.http.Rejection rejection) {
    int status = rejection.status();
    if (verdict.denied() || (status != 403 && status != 407)) {
      return verdict;
    }
    return new RoleVerdict(verdict.role(), Outcome.DENY, rejection.reason());
  }
}
