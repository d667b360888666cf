package io.hopwise.http;

/**
 * Why a message is refused, and the status the client gets for it (http-rules E). One type for
 * every refusal, so one place can write every error response.
 */
public record Rejection(int status, String reason) {
  public static Rejection badRequest(String reason) {
    return new Rejection(400, reason);
  }

  @Override
  public String toString() {
    return status + " " + reason;
  }
}
