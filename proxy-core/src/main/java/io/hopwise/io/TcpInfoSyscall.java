package io.hopwise.io;

import com.sun.jna.Native;
import io.hopwise.TcpInfo;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * {@code getsockopt(fd, IPPROTO_TCP, TCP_INFO)} through JNA (issue 24), for the fields Netty's
 * {@code tcpInfo()} does not read: the pacing and delivery rates, and the bytes acknowledged and
 * received ({@code tcpi_bytes_acked} at 120, {@code tcpi_bytes_received} at 128). Offsets are Linux's
 * {@code struct tcp_info} ({@code include/uapi/linux/tcp.h}): eight one-byte fields, then 32-bit
 * fields from {@code tcpi_rto} at 8 to {@code tcpi_total_retrans} at 100, {@code tcpi_pacing_rate}
 * (64-bit) at 104, and {@code tcpi_delivery_rate} (64-bit) at 160, which kernels before 4.9 do not
 * fill (the length the kernel returns says so). Null when JNA or the call is not available.
 */
final class TcpInfoSyscall {
  private static final int IPPROTO_TCP = 6;
  private static final int TCP_INFO = 11;
  private static final int SIZE = 232; // large enough for every field used; the kernel writes what it has

  /**
   * JNA's direct mapping ({@code Native.register}): a plain native call. The interface mapping it
   * replaces went through a proxy, reflection on every argument and a native-memory
   * {@code IntByReference} with a cleaner per call: 7 % of the proxy's Java samples with a new
   * client connection per request (issue 28), as every closing connection is snapshotted.
   */
  private static final class LibC {
    static native int getsockopt(int fd, int level, int option, byte[] value, int[] length);
  }

  private static final boolean LOADED = load();

  private static boolean load() {
    try {
      Native.register(LibC.class, "c");
      return true;
    } catch (Throwable t) { // no libc to bind (not Linux), or JNA's native part refused
      return false;
    }
  }

  private TcpInfoSyscall() {}

  /** The kernel's answer and its length, per thread; parse copies what it keeps. */
  private static final class Scratch {
    final byte[] buf = new byte[SIZE];
    final int[] len = new int[1];
  }

  private static final io.netty.util.concurrent.FastThreadLocal<Scratch> SCRATCH = new io.netty.util.concurrent.FastThreadLocal<>() {
    @Override
    protected Scratch initialValue() {
      return new Scratch();
    }
  };

  static boolean available() {
    return LOADED;
  }

  static TcpInfo read(int fd) {
    if (!LOADED) {
      return null;
    }
    Scratch scratch = SCRATCH.get(); // every closing connection is read: no arrays per read
    byte[] buf = scratch.buf;
    int[] len = scratch.len;
    len[0] = SIZE;
    try {
      if (LibC.getsockopt(fd, IPPROTO_TCP, TCP_INFO, buf, len) != 0) {
        return null; // the socket is gone (EBADF) or is no TCP socket
      }
    } catch (UnsatisfiedLinkError e) {
      return null;
    }
    return parse(buf, len[0]);
  }

  /** The fields we show, from {@code length} bytes of {@code struct tcp_info}. Pure. */
  static TcpInfo parse(byte[] raw, int length) {
    if (length < 104) {
      return null;
    }
    ByteBuffer b = ByteBuffer.wrap(raw).order(ByteOrder.nativeOrder());
    long pacing = length >= 112 ? b.getLong(104) : -1;
    long delivery = length >= 168 ? b.getLong(160) : -1;
    long acked = length >= 128 ? b.getLong(120) : -1;
    long received = length >= 136 ? b.getLong(128) : -1;
    return new TcpInfo(u32(b, 68), u32(b, 72), u32(b, 80), u32(b, 76), raw[2] & 0xff, u32(b, 100), u32(b, 24),
        pacing, delivery, acked, received);
  }

  private static long u32(ByteBuffer b, int offset) {
    return b.getInt(offset) & 0xffffffffL;
  }
}
