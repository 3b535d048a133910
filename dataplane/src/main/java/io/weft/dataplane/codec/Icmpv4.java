package io.weft.dataplane.codec;

/** ICMP for IPv4 (RFC 792): echo and the types the guards look at. */
public final class Icmpv4 {

  public static final int MIN_LENGTH = 8;
  public static final int ECHO_REPLY = 0;
  public static final int REDIRECT = 5;
  public static final int ECHO_REQUEST = 8;
  public static final int TIME_EXCEEDED = 11;

  private Icmpv4() {}

  public static int type(byte[] b, int o) {
    return Bytes.u8(b, o);
  }

  public static int code(byte[] b, int o) {
    return Bytes.u8(b, o + 1);
  }

  public static int echoId(byte[] b, int o) {
    return Bytes.u16(b, o + 4);
  }

  public static int echoSequence(byte[] b, int o) {
    return Bytes.u16(b, o + 6);
  }

  /** Writes type, code, id/sequence; call {@link #writeChecksum} after the payload is in place. */
  public static void writeEcho(byte[] b, int o, int type, int id, int sequence) {
    b[o] = (byte) type;
    b[o + 1] = 0;
    Bytes.put16(b, o + 2, 0);
    Bytes.put16(b, o + 4, id);
    Bytes.put16(b, o + 6, sequence);
  }

  public static void writeChecksum(byte[] b, int o, int len) {
    Bytes.put16(b, o + 2, 0);
    Bytes.put16(b, o + 2, Checksum.compute(b, o, len));
  }

  public static boolean checksumValid(byte[] b, int o, int len) {
    return Checksum.compute(b, o, len) == 0;
  }
}
