package io.hopwise.app.lab;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;

/**
 * The Linux system calls the lab needs and Java does not offer (through JNA): TUN devices
 * ({@code open}, {@code ioctl(TUNSETIFF)}, {@code read}, {@code write}) and {@code setns}, which
 * moves the calling thread (only it) into a network namespace: sockets it then creates live there.
 */
interface LibC extends Library {
  LibC INSTANCE = Native.load("c", LibC.class);

  int O_RDWR = 2;
  /** {@code _IOW('T', 202, int)}. */
  long TUNSETIFF = 0x400454caL;
  short IFF_TUN = 0x0001;
  short IFF_NO_PI = 0x1000;
  int CLONE_NEWNET = 0x40000000;

  int open(String path, int flags) throws LastErrorException;

  int ioctl(int fd, long request, byte[] arg) throws LastErrorException;

  int read(int fd, byte[] buf, long count) throws LastErrorException;

  int write(int fd, byte[] buf, long count) throws LastErrorException;

  int close(int fd) throws LastErrorException;

  int setns(int fd, int nstype) throws LastErrorException;
}
