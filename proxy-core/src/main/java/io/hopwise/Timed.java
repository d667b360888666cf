package io.hopwise;

/**
 * A record with the wall-clock time it was made (its exchange's or connection's end), for the
 * connection view's ordering and timeline (issue 24).
 */
public record Timed<T>(long atMillis, T record) {}
