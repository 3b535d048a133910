package io.weft.dataplane.backend.linux;

import io.weft.dataplane.codec.Bytes;
import io.weft.dataplane.codec.Checksum;
import io.weft.dataplane.codec.Ethernet;
import io.weft.dataplane.codec.Ipv4;
import io.weft.dataplane.codec.Ipv6;
import java.util.Random;

/**
 * TCP frames as a VM's stack hands them to a tap: one flow from 10.0.0.10:40000 to 10.0.0.11:5201
 * (or fd00::10 to fd00::11), with a timestamps option (32-byte TCP header), built independently of
 * the code under test. Checksums are checked here with the plain RFC 1071 sum.
 */
final class TcpFrames {

  static final int TCP_HEADER = 32;
  static final int V4_HEADERS = Ethernet.HEADER + Ipv4.MIN_HEADER + TCP_HEADER;
  static final int V6_HEADERS = Ethernet.HEADER + Ipv6.HEADER + TCP_HEADER;
  static final int SRC = 0x0a00000a;
  static final int DST = 0x0a00000b;
  static final int ACK = 0x10;
  static final int PSH = 0x08;
  static final int FIN = 0x01;
  static final int CWR = 0x80;

  private TcpFrames() {}

  static byte[] payload(long seed, int n) {
    byte[] p = new byte[n];
    new Random(seed).nextBytes(p);
    return p;
  }

  /**
   * An IPv4 TCP frame carrying {@code payload} at {@code seq}; its TCP checksum is complete, or
   * only the pseudo-header sum when {@code partial} (as with {@link VnetHeader#F_NEEDS_CSUM}).
   */
  static byte[] v4(int seq, int flags, byte[] payload, boolean partial) {
    byte[] f = new byte[V4_HEADERS + payload.length];
    Ethernet.writeHeader(f, 0, 0x020a00000002L, 0x020a00000001L, Ethernet.TYPE_IPV4);
    int ip = Ethernet.HEADER;
    f[ip] = 0x45;
    Bytes.put16(f, ip + 2, Ipv4.MIN_HEADER + TCP_HEADER + payload.length);
    Bytes.put16(f, ip + 4, 0x1234);
    Bytes.put16(f, ip + 6, 0x4000);
    f[ip + 8] = 64;
    f[ip + 9] = (byte) Ipv4.PROTO_TCP;
    Bytes.put32(f, ip + 12, SRC);
    Bytes.put32(f, ip + 16, DST);
    Bytes.put16(f, ip + 10, Checksum.compute(f, ip, Ipv4.MIN_HEADER));
    int tcp = ip + Ipv4.MIN_HEADER;
    tcpHeader(f, tcp, seq, flags);
    System.arraycopy(payload, 0, f, V4_HEADERS, payload.length);
    int tcpLength = TCP_HEADER + payload.length;
    long pseudo = Checksum.pseudoV4(SRC, DST, Ipv4.PROTO_TCP, tcpLength);
    Bytes.put16(
        f,
        tcp + 16,
        partial ? Checksum.fold(pseudo) : Checksum.finish(Checksum.sum(f, tcp, tcpLength, pseudo)));
    return f;
  }

  /** The same flow over IPv6 (fd00::10 → fd00::11), TCP checksum partial. */
  static byte[] v6(int seq, int flags, byte[] payload) {
    byte[] f = new byte[V6_HEADERS + payload.length];
    Ethernet.writeHeader(f, 0, 0x020a00000002L, 0x020a00000001L, Ethernet.TYPE_IPV6);
    int ip = Ethernet.HEADER;
    Ipv6.writeHeader(
        f,
        ip,
        TCP_HEADER + payload.length,
        Ipv4.PROTO_TCP,
        64,
        0xfd00L << 48,
        0x10,
        0xfd00L << 48,
        0x11);
    int tcp = ip + Ipv6.HEADER;
    tcpHeader(f, tcp, seq, flags);
    System.arraycopy(payload, 0, f, V6_HEADERS, payload.length);
    Bytes.put16(
        f,
        tcp + 16,
        Checksum.fold(Checksum.pseudoV6(f, ip, Ipv4.PROTO_TCP, TCP_HEADER + payload.length)));
    return f;
  }

  private static void tcpHeader(byte[] f, int tcp, int seq, int flags) {
    Bytes.put16(f, tcp, 40000);
    Bytes.put16(f, tcp + 2, 5201);
    Bytes.put32(f, tcp + 4, seq);
    Bytes.put32(f, tcp + 8, 0x01020304);
    f[tcp + 12] = (byte) ((TCP_HEADER / 4) << 4);
    f[tcp + 13] = (byte) flags;
    Bytes.put16(f, tcp + 14, 501);
    // NOP, NOP, timestamps (kind 8, length 10): identical on every segment of one super-frame.
    f[tcp + 20] = 1;
    f[tcp + 21] = 1;
    f[tcp + 22] = 8;
    f[tcp + 23] = 10;
    Bytes.put32(f, tcp + 24, 777);
    Bytes.put32(f, tcp + 28, 555);
  }

  /** Recomputes the TCP checksum of an IPv4 frame after a test changed it. */
  static void refreshTcpChecksum(byte[] f) {
    int ip = Ethernet.HEADER;
    int tcp = ip + Ipv4.MIN_HEADER;
    Bytes.put16(f, tcp + 16, 0);
    long pseudo = Checksum.pseudoV4(SRC, DST, Ipv4.PROTO_TCP, f.length - tcp);
    Bytes.put16(f, tcp + 16, ~plainSum(f, tcp, f.length - tcp, pseudo) & 0xFFFF);
  }

  /** True when the IPv4 header checksum and the TCP checksum of the frame verify. */
  static boolean v4ChecksumsValid(byte[] f, int off, int len) {
    int ip = off + Ethernet.HEADER;
    int tcp = ip + Ipv4.MIN_HEADER;
    long pseudo = Checksum.pseudoV4(Ipv4.src(f, ip), Ipv4.dst(f, ip), Ipv4.PROTO_TCP, len - 34);
    return plainSum(f, ip, Ipv4.MIN_HEADER, 0) == 0xFFFF
        && plainSum(f, tcp, len - 34, pseudo) == 0xFFFF;
  }

  static boolean v6TcpChecksumValid(byte[] f, int len) {
    int ip = Ethernet.HEADER;
    int tcp = ip + Ipv6.HEADER;
    long pseudo = Checksum.pseudoV6(f, ip, Ipv4.PROTO_TCP, len - tcp);
    return plainSum(f, tcp, len - tcp, pseudo) == 0xFFFF;
  }

  /** RFC 1071 two bytes at a time, folded: independent of the 8-byte sum under test. */
  static int plainSum(byte[] b, int off, int len, long initial) {
    long s = initial;
    for (int i = 0; i < len; i += 2) {
      s += ((b[off + i] & 0xFF) << 8) | (i + 1 < len ? b[off + i + 1] & 0xFF : 0);
    }
    while ((s >>> 16) != 0) {
      s = (s & 0xFFFF) + (s >>> 16);
    }
    return (int) s;
  }
}
