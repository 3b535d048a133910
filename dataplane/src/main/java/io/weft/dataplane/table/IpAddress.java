package io.weft.dataplane.table;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.net.InetAddress;

/**
 * An IPv4 or IPv6 address as two longs, so the data plane can hash and compare it without objects.
 *
 * <p>IPv4 lives in the low 32 bits of {@code lo} with {@code hi == 0}. JSON and {@link #toString()}
 * use the usual text forms (RFC 5952 for IPv6).
 */
public record IpAddress(boolean v6, long hi, long lo) implements Comparable<IpAddress> {

  public IpAddress {
    if (!v6 && (hi != 0 || (lo >>> 32) != 0)) {
      throw new IllegalArgumentException("IPv4 address must fit in 32 bits");
    }
  }

  public static IpAddress v4(int address) {
    return new IpAddress(false, 0, address & 0xFFFFFFFFL);
  }

  public static IpAddress v6(long hi, long lo) {
    return new IpAddress(true, hi, lo);
  }

  /** Parses a literal address (no name resolution); throws with the offending text otherwise. */
  @JsonCreator
  public static IpAddress parse(String text) {
    if (text == null || text.isEmpty() || !(text.indexOf('.') >= 0 || text.indexOf(':') >= 0)) {
      throw new IllegalArgumentException("not an IP address: '" + text + "'");
    }
    byte[] bytes;
    try {
      bytes = InetAddress.ofLiteral(text).getAddress();
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("not an IP address: '" + text + "'");
    }
    return fromBytes(bytes);
  }

  /** From 4 or 16 network-order bytes. */
  public static IpAddress fromBytes(byte[] bytes) {
    if (bytes.length == 4) {
      return v4(
          ((bytes[0] & 0xFF) << 24)
              | ((bytes[1] & 0xFF) << 16)
              | ((bytes[2] & 0xFF) << 8)
              | (bytes[3] & 0xFF));
    }
    if (bytes.length == 16) {
      long hi = 0;
      long lo = 0;
      for (int i = 0; i < 8; i++) {
        hi = (hi << 8) | (bytes[i] & 0xFF);
        lo = (lo << 8) | (bytes[i + 8] & 0xFF);
      }
      return v6(hi, lo);
    }
    throw new IllegalArgumentException("address must be 4 or 16 bytes, got " + bytes.length);
  }

  /** The IPv4 address as an int (network order value); only for IPv4. */
  public int v4Bits() {
    if (v6) {
      throw new IllegalStateException("not IPv4: " + this);
    }
    return (int) lo;
  }

  public int bitLength() {
    return v6 ? 128 : 32;
  }

  public byte[] toBytes() {
    if (!v6) {
      int a = (int) lo;
      return new byte[] {(byte) (a >>> 24), (byte) (a >>> 16), (byte) (a >>> 8), (byte) a};
    }
    byte[] b = new byte[16];
    for (int i = 0; i < 8; i++) {
      b[i] = (byte) (hi >>> (56 - 8 * i));
      b[i + 8] = (byte) (lo >>> (56 - 8 * i));
    }
    return b;
  }

  /**
   * This address plus {@code delta} (used to walk DHCP ranges); no overflow check beyond 64 bits.
   */
  public IpAddress plus(long delta) {
    if (!v6) {
      return v4((int) (lo + delta));
    }
    long newLo = lo + delta;
    long carry = Long.compareUnsigned(newLo, lo) < 0 ? 1 : 0;
    return v6(hi + carry, newLo);
  }

  @Override
  public int compareTo(IpAddress o) {
    if (v6 != o.v6) {
      return v6 ? 1 : -1;
    }
    int c = Long.compareUnsigned(hi, o.hi);
    return c != 0 ? c : Long.compareUnsigned(lo, o.lo);
  }

  @JsonValue
  @Override
  public String toString() {
    if (!v6) {
      int a = (int) lo;
      return (a >>> 24) + "." + ((a >>> 16) & 0xFF) + "." + ((a >>> 8) & 0xFF) + "." + (a & 0xFF);
    }
    int[] groups = new int[8];
    for (int i = 0; i < 4; i++) {
      groups[i] = (int) ((hi >>> (48 - 16 * i)) & 0xFFFF);
      groups[i + 4] = (int) ((lo >>> (48 - 16 * i)) & 0xFFFF);
    }
    // RFC 5952: compress the longest run (length >= 2) of zero groups, the first one on a tie.
    int bestStart = -1;
    int bestLen = 1;
    for (int i = 0; i < 8; ) {
      if (groups[i] != 0) {
        i++;
        continue;
      }
      int j = i;
      while (j < 8 && groups[j] == 0) {
        j++;
      }
      if (j - i > bestLen) {
        bestStart = i;
        bestLen = j - i;
      }
      i = j;
    }
    StringBuilder sb = new StringBuilder(39);
    for (int i = 0; i < 8; i++) {
      if (i == bestStart) {
        sb.append("::");
        i += bestLen - 1;
        continue;
      }
      if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
        sb.append(':');
      }
      sb.append(Integer.toHexString(groups[i]));
    }
    return sb.toString();
  }
}
