package io.hopwise.app;

/** The command line is wrong; the message is one line, without the "try --help" hint. */
public final class UsageException extends Exception {
  public UsageException(String message) {
    super(message, null, false, false);
  }
}
