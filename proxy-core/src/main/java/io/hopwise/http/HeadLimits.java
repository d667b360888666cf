package io.hopwise.http;

/** Size limits for a head (http-rules E: 414 and 431). */
public record HeadLimits(int maxRequestLineBytes, int maxHeaderBytes, int maxFields) {
  public static final HeadLimits DEFAULT = new HeadLimits(8192, 16384, 100);

  public HeadLimits {
    if (maxRequestLineBytes < 64 || maxHeaderBytes < 256 || maxFields < 1) {
      throw new IllegalArgumentException("head limits too small: " + maxRequestLineBytes + "/" + maxHeaderBytes + "/" + maxFields);
    }
  }
}
