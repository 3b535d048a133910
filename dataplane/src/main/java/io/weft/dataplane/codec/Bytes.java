package io.weft.dataplane.codec;

/** Big-endian field access on byte arrays; callers check bounds first (the parsers do). */
public final class Bytes {

  private Bytes() {}

  public static int u8(byte[] b, int o) {
    return b[o] & 0xFF;
  }

  public static int u16(byte[] b, int o) {
    return ((b[o] & 0xFF) << 8) | (b[o + 1] & 0xFF);
  }

  public static int i32(byte[] b, int o) {
    return ((b[o] & 0xFF) << 24)
        | ((b[o + 1] & 0xFF) << 16)
        | ((b[o + 2] & 0xFF) << 8)
        | (b[o + 3] & 0xFF);
  }

  public static long u48(byte[] b, int o) {
    return ((long) u16(b, o) << 32) | (i32(b, o + 2) & 0xFFFFFFFFL);
  }

  public static long i64(byte[] b, int o) {
    return ((long) i32(b, o) << 32) | (i32(b, o + 4) & 0xFFFFFFFFL);
  }

  public static void put8(byte[] b, int o, int v) {
    b[o] = (byte) v;
  }

  public static void put16(byte[] b, int o, int v) {
    b[o] = (byte) (v >>> 8);
    b[o + 1] = (byte) v;
  }

  public static void put32(byte[] b, int o, int v) {
    b[o] = (byte) (v >>> 24);
    b[o + 1] = (byte) (v >>> 16);
    b[o + 2] = (byte) (v >>> 8);
    b[o + 3] = (byte) v;
  }

  public static void put48(byte[] b, int o, long v) {
    put16(b, o, (int) (v >>> 32));
    put32(b, o + 2, (int) v);
  }

  public static void put64(byte[] b, int o, long v) {
    put32(b, o, (int) (v >>> 32));
    put32(b, o + 4, (int) v);
  }
}
