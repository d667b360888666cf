package io.hopwise.upstream;

import io.hopwise.policy.Parent;

/**
 * What a client gets when a parent proxy says no (issue 27). Pure. A 407 is our
 * misconfiguration, not the client's to answer: a 502 that says so, never a 407 (the client
 * would be asked for the parent's credentials). A 504 keeps its status (the parent could not
 * reach the origin in time: a timeout the client should see as one); any other refusal is a 502
 * naming the parent and its answer, which the access log and the error body carry.
 */
public final class ParentAnswers {
  private ParentAnswers() {}

  /** The failure for a parent's non-2xx answer to {@code what} ("CONNECT host:port", "GET http://..."). */
  public static UpstreamFailure refusal(Parent parent, String what, int status, String reason) {
    if (status == 407) {
      return new UpstreamFailure(502, "parent " + parent.name() + " refused our credentials (407 to " + what + "): "
          + (parent.authorization() == null ? "it needs credentials: set credentialsFile or credentialsEnv for it"
              : "check its credentialsFile or credentialsEnv"));
    }
    return new UpstreamFailure(status == 504 ? 504 : 502, "parent " + parent.name() + " answered " + status
        + (reason == null || reason.isEmpty() ? "" : " " + reason) + " to " + what);
  }
}
