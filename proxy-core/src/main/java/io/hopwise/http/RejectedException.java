package io.hopwise.http;

/** Internal control flow of the parsers: carries a {@link Rejection} out of deep parsing code. */
final class RejectedException extends Exception {
  private final Rejection rejection;

  RejectedException(int status, String reason) {
    super(reason, null, false, false);
    this.rejection = new Rejection(status, reason);
  }

  Rejection rejection() {
    return rejection;
  }
}
