package io.hopwise.http;

/** What a head parser says about the bytes it has been given so far. */
public sealed interface ParseOutcome<T> {
  /** The head is not complete yet; feed more bytes. */
  record NeedMore<T>() implements ParseOutcome<T> {}

  /** A complete head, which used the first {@code consumed} bytes. */
  record Parsed<T>(T head, int consumed) implements ParseOutcome<T> {}

  /** The head is refused; nothing of it may be forwarded. */
  record Refused<T>(Rejection rejection) implements ParseOutcome<T> {}
}
