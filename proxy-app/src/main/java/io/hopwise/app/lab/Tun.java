package io.hopwise.app.lab;

import java.nio.charset.StandardCharsets;

/**
 * A TUN device: the kernel hands every IP packet routed to it to our {@link #read}, and takes
 * every packet we {@link #write} as if it had arrived on it. Made in the namespace the lab runs
 * in; {@code ip link set NAME netns NS} may move it, and this descriptor still reads and writes it.
 * It disappears when the descriptor closes.
 */
final class Tun implements AutoCloseable {
  private static final int IFNAMSIZ = 16;

  final String name;
  private final int fd;
  private volatile boolean closed;

  private Tun(String name, int fd) {
    this.name = name;
    this.fd = fd;
  }

  static Tun open(String name) {
    int fd = LibC.INSTANCE.open("/dev/net/tun", LibC.O_RDWR);
    byte[] ifreq = new byte[40]; // struct ifreq: the name, then ifr_flags
    byte[] n = name.getBytes(StandardCharsets.US_ASCII);
    if (n.length >= IFNAMSIZ) {
      throw new IllegalArgumentException("interface name too long: " + name);
    }
    System.arraycopy(n, 0, ifreq, 0, n.length);
    short flags = (short) (LibC.IFF_TUN | LibC.IFF_NO_PI);
    ifreq[IFNAMSIZ] = (byte) flags;          // little-endian: x86_64 and aarch64
    ifreq[IFNAMSIZ + 1] = (byte) (flags >> 8);
    try {
      LibC.INSTANCE.ioctl(fd, LibC.TUNSETIFF, ifreq);
    } catch (RuntimeException e) {
      LibC.INSTANCE.close(fd);
      throw e;
    }
    return new Tun(name, fd);
  }

  /** One packet into {@code buf}; its length. Blocks until one comes. */
  int read(byte[] buf) {
    return LibC.INSTANCE.read(fd, buf, buf.length);
  }

  void write(byte[] packet, int length) {
    LibC.INSTANCE.write(fd, packet, length);
  }

  boolean isClosed() {
    return closed;
  }

  @Override
  public void close() {
    if (!closed) {
      closed = true;
      LibC.INSTANCE.close(fd);
    }
  }
}
