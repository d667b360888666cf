package io.hopwise.policy;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The server name a TLS client asks for, read from the first bytes it sends through a tunnel,
 * without terminating TLS (issue 26: the SNI check). The bytes are TLS records (RFC 8446 5.1:
 * type 22, handshake; a legacy version 3.x; a length); their payloads, joined, hold the handshake
 * message, a ClientHello (type 1) whose extensions may hold server_name (type 0, RFC 6066 3) with
 * one host_name. A ClientHello may span records; it is read up to {@link #MAX_HELLO} bytes. Pure:
 * bytes in, a result out, and any prefix of the bytes gives {@link #NEED_MORE} or the same result.
 */
public final class ClientHello {
  /** Larger ClientHellos exist (post-quantum key shares make them 1-2 KB), none near this. */
  static final int MAX_HELLO = 16 * 1024;

  /** What the bytes so far say. */
  public sealed interface Result permits NeedMore, NotTls, NoServerName, ServerName {}

  /** A prefix of a ClientHello: more bytes are needed. */
  public record NeedMore() implements Result {}

  /** Not a TLS ClientHello (another protocol, or one we cannot read); {@code why} for the log. */
  public record NotTls(String why) implements Result {}

  /** A ClientHello without a host name (clients send none for an address, RFC 6066 3). */
  public record NoServerName() implements Result {}

  /** The host name asked for, lower case, without a trailing dot. */
  public record ServerName(String name) implements Result {}

  public static final Result NEED_MORE = new NeedMore();
  private static final Result NO_SERVER_NAME = new NoServerName();

  private ClientHello() {}

  /** Reads the first {@code length} bytes of {@code b}. */
  public static Result serverName(byte[] b, int length) {
    // Join the payloads of the handshake records received so far.
    byte[] hello = new byte[Math.min(length, MAX_HELLO + 4)];
    int have = 0;
    int at = 0;
    int need = -1; // the handshake message's whole length, once its header is in
    while (need < 0 || have < need) {
      // The type and version are judged as soon as they are in: a protocol that is not TLS may
      // send a byte and wait for the answer (an echo, a prompt).
      if (length - at >= 1 && (b[at] & 0xff) != 22) {
        return new NotTls(at == 0 ? "not a TLS handshake record" : "a record other than handshake inside the ClientHello");
      }
      if (length - at >= 2 && (b[at + 1] & 0xff) != 3) {
        return new NotTls("not a TLS 1.x record version");
      }
      if (length - at < 5) {
        return NEED_MORE;
      }
      int recordLength = u16(b, at + 3);
      if (recordLength == 0 || recordLength > 16384 + 2048) {
        return new NotTls("bad TLS record length " + recordLength);
      }
      int available = Math.min(recordLength, length - at - 5);
      int copy = Math.min(available, hello.length - have);
      System.arraycopy(b, at + 5, hello, have, copy);
      have += copy;
      if (need < 0 && have >= 4) {
        if ((hello[0] & 0xff) != 1) {
          return new NotTls("the first handshake message is not a ClientHello");
        }
        need = 4 + u24(hello, 1);
        if (need > MAX_HELLO) {
          return new NotTls("ClientHello larger than " + MAX_HELLO + " bytes");
        }
      }
      if (available < recordLength) {
        return need > 0 && have >= need ? parse(hello, need) : NEED_MORE;
      }
      at += 5 + recordLength;
    }
    return parse(hello, need);
  }

  /** The ClientHello body (RFC 8446 4.1.2) after its 4-byte header, to the server_name extension. */
  private static Result parse(byte[] h, int end) {
    int p = 4 + 2 + 32; // legacy_version, random
    if (p >= end) {
      return new NotTls("ClientHello too short");
    }
    p += 1 + (h[p] & 0xff); // legacy_session_id
    if (p + 2 > end) {
      return new NotTls("ClientHello too short");
    }
    p += 2 + u16(h, p); // cipher_suites
    if (p + 1 > end) {
      return new NotTls("ClientHello too short");
    }
    p += 1 + (h[p] & 0xff); // legacy_compression_methods
    if (p == end) {
      return NO_SERVER_NAME; // no extensions at all (TLS 1.0 style)
    }
    if (p + 2 > end) {
      return new NotTls("ClientHello too short");
    }
    int extensionsEnd = p + 2 + u16(h, p);
    if (extensionsEnd > end) {
      return new NotTls("ClientHello extensions overrun");
    }
    p += 2;
    while (p + 4 <= extensionsEnd) {
      int type = u16(h, p);
      int len = u16(h, p + 2);
      p += 4;
      if (p + len > extensionsEnd) {
        return new NotTls("ClientHello extension overruns");
      }
      if (type == 0) {
        return hostName(h, p, p + len);
      }
      p += len;
    }
    return NO_SERVER_NAME;
  }

  /** server_name's ServerNameList: the host_name entry (type 0). */
  private static Result hostName(byte[] h, int p, int end) {
    if (p + 2 > end) {
      return NO_SERVER_NAME; // an empty server_name extension: a server's echo, not a client's ask
    }
    int listEnd = p + 2 + u16(h, p);
    if (listEnd > end) {
      return new NotTls("server_name list overruns");
    }
    p += 2;
    while (p + 3 <= listEnd) {
      int nameType = h[p] & 0xff;
      int len = u16(h, p + 1);
      p += 3;
      if (p + len > listEnd) {
        return new NotTls("server_name entry overruns");
      }
      if (nameType == 0) {
        String name = new String(h, p, len, StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT);
        if (name.endsWith(".")) {
          name = name.substring(0, name.length() - 1);
        }
        return name.isEmpty() || !name.chars().allMatch(c -> c > 0x20 && c < 0x7f)
            ? new NotTls("server_name is not a host name") : new ServerName(name);
      }
      p += len;
    }
    return NO_SERVER_NAME;
  }

  private static int u16(byte[] b, int i) {
    return (b[i] & 0xff) << 8 | (b[i + 1] & 0xff);
  }

  private static int u24(byte[] b, int i) {
    return (b[i] & 0xff) << 16 | (b[i + 1] & 0xff) << 8 | (b[i + 2] & 0xff);
  }
}
