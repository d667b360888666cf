package io.hopwise.forward;

import io.hopwise.http.BodyFraming;
import io.hopwise.http.HttpFields;
import io.hopwise.http.Origin;
import io.hopwise.io.MessageWriter;
import io.hopwise.policy.Parent;
import io.vertx.core.buffer.Buffer;

/**
 * A request head for a parent proxy (issue 27): the target in absolute-form (RFC 9112 3.2.2: a
 * client of a proxy sends it so), and our own {@code Proxy-Authorization} for the parent. The
 * fields are those the rules made for the origin: the client's hop-by-hop fields, its
 * {@code Proxy-Authorization} among them, are already gone; our Via entry is in.
 */
final class ParentForm {
  private ParentForm() {}

  static Buffer requestHead(String method, Origin origin, String path, HttpFields fields, Parent parent,
      BodyFraming framing) {
    // RFC 9112 3.2.4: OPTIONS * goes to a proxy as the origin with no path; the last proxy makes it "*" again.
    String target = path.equals("*") ? origin.toString() : origin + path;
    HttpFields toParent = parent.authorization() == null ? fields
        : fields.toBuilder().add("Proxy-Authorization", parent.authorization()).build();
    return MessageWriter.requestHead(method, target, toParent, framing);
  }
}
