package io.hopwise.http;

/**
 * Max-Forwards on TRACE and OPTIONS (RFC 9110 7.6.2, http-rules D3): 0 means the proxy answers
 * itself; otherwise the value goes on decremented. Other methods ignore the field.
 */
public final class MaxForwards {
  private MaxForwards() {}

  /** What to do with a request. */
  public sealed interface Step {}

  /** Forward these fields (Max-Forwards decremented, or unchanged). */
  public record Forward(HttpFields fields) implements Step {}

  /** Answer here: the count reached zero. */
  public record AnswerHere() implements Step {}

  public static Step apply(String method, HttpFields fields) {
    if (!method.equals("TRACE") && !method.equals("OPTIONS")) {
      return new Forward(fields);
    }
    String value = fields.get("Max-Forwards");
    if (value == null || !Syntax.isDigits(value.strip()) || value.strip().length() > 9) {
      return new Forward(fields); // absent or not a number: as if absent
    }
    long n = Long.parseLong(value.strip());
    return n == 0 ? new AnswerHere() : new Forward(fields.toBuilder().set("Max-Forwards", Long.toString(n - 1)).build());
  }
}
