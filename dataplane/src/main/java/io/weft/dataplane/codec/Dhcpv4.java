package io.weft.dataplane.codec;

/**
 * DHCPv4 messages (RFC 2131) and options (RFC 2132): the fixed BOOTP part, the magic cookie, and
 * TLV options read in place. Writers return the next free offset so a message is built in one pass.
 */
public final class Dhcpv4 {

  public static final int FIXED = 240;
  public static final int MAGIC_COOKIE = 0x63825363;
  public static final int OP_REQUEST = 1;
  public static final int OP_REPLY = 2;
  public static final int FLAG_BROADCAST = 0x8000;

  public static final int DISCOVER = 1;
  public static final int OFFER = 2;
  public static final int REQUEST = 3;
  public static final int DECLINE = 4;
  public static final int ACK = 5;
  public static final int NAK = 6;
  public static final int RELEASE = 7;
  public static final int INFORM = 8;

  public static final int OPT_PAD = 0;
  public static final int OPT_SUBNET_MASK = 1;
  public static final int OPT_ROUTER = 3;
  public static final int OPT_DNS = 6;
  public static final int OPT_MTU = 26;
  public static final int OPT_REQUESTED_IP = 50;
  public static final int OPT_LEASE_TIME = 51;
  public static final int OPT_MESSAGE_TYPE = 53;
  public static final int OPT_SERVER_ID = 54;
  public static final int OPT_RENEWAL_TIME = 58;
  public static final int OPT_REBINDING_TIME = 59;
  public static final int OPT_END = 255;

  private Dhcpv4() {}

  /** True for a complete BOOTP/DHCP header with Ethernet hardware addresses and the cookie. */
  public static boolean valid(byte[] b, int o, int len) {
    return len >= FIXED
        && Bytes.u8(b, o + 1) == 1
        && Bytes.u8(b, o + 2) == 6
        && Bytes.i32(b, o + 236) == MAGIC_COOKIE;
  }

  public static int op(byte[] b, int o) {
    return Bytes.u8(b, o);
  }

  public static int xid(byte[] b, int o) {
    return Bytes.i32(b, o + 4);
  }

  public static int flags(byte[] b, int o) {
    return Bytes.u16(b, o + 10);
  }

  public static int ciaddr(byte[] b, int o) {
    return Bytes.i32(b, o + 12);
  }

  public static int yiaddr(byte[] b, int o) {
    return Bytes.i32(b, o + 16);
  }

  public static int siaddr(byte[] b, int o) {
    return Bytes.i32(b, o + 20);
  }

  public static int giaddr(byte[] b, int o) {
    return Bytes.i32(b, o + 24);
  }

  public static long chaddr(byte[] b, int o) {
    return Bytes.u48(b, o + 28);
  }

  /**
   * Offset of the value of the first option {@code code}, or -1 when absent or when the options are
   * malformed before it (an option running past {@code len}); its length is the byte before.
   */
  public static int findOption(byte[] b, int o, int len, int code) {
    int p = o + FIXED;
    int end = o + len;
    while (p < end) {
      int c = b[p] & 0xFF;
      if (c == OPT_END) {
        return -1;
      }
      if (c == OPT_PAD) {
        p++;
        continue;
      }
      if (p + 1 >= end) {
        return -1;
      }
      int l = b[p + 1] & 0xFF;
      if (p + 2 + l > end) {
        return -1;
      }
      if (c == code) {
        return p + 2;
      }
      p += 2 + l;
    }
    return -1;
  }

  public static int optionLength(byte[] b, int valueOffset) {
    return b[valueOffset - 1] & 0xFF;
  }

  /** The DHCP message type (option 53), or -1 when missing or malformed. */
  public static int messageType(byte[] b, int o, int len) {
    int v = findOption(b, o, len, OPT_MESSAGE_TYPE);
    return v < 0 || optionLength(b, v) != 1 ? -1 : b[v] & 0xFF;
  }

  /** An IPv4-address-valued option (4 bytes), or {@code missing} when absent or not 4 bytes. */
  public static int addressOption(byte[] b, int o, int len, int code, int missing) {
    int v = findOption(b, o, len, code);
    return v < 0 || optionLength(b, v) != 4 ? missing : Bytes.i32(b, v);
  }

  /** Writes the fixed part and the cookie (zeroing sname/file); returns the options offset. */
  public static int writeFixed(
      byte[] b,
      int o,
      int op,
      int xid,
      int flags,
      int ciaddr,
      int yiaddr,
      int siaddr,
      long chaddr) {
    java.util.Arrays.fill(b, o, o + FIXED, (byte) 0);
    b[o] = (byte) op;
    b[o + 1] = 1;
    b[o + 2] = 6;
    Bytes.put32(b, o + 4, xid);
    Bytes.put16(b, o + 10, flags);
    Bytes.put32(b, o + 12, ciaddr);
    Bytes.put32(b, o + 16, yiaddr);
    Bytes.put32(b, o + 20, siaddr);
    Bytes.put48(b, o + 28, chaddr);
    Bytes.put32(b, o + 236, MAGIC_COOKIE);
    return o + FIXED;
  }

  public static int putByteOption(byte[] b, int p, int code, int value) {
    b[p] = (byte) code;
    b[p + 1] = 1;
    b[p + 2] = (byte) value;
    return p + 3;
  }

  public static int putShortOption(byte[] b, int p, int code, int value) {
    b[p] = (byte) code;
    b[p + 1] = 2;
    Bytes.put16(b, p + 2, value);
    return p + 4;
  }

  public static int putIntOption(byte[] b, int p, int code, int value) {
    b[p] = (byte) code;
    b[p + 1] = 4;
    Bytes.put32(b, p + 2, value);
    return p + 6;
  }

  /** An option holding a list of IPv4 addresses (DNS servers, routers); skipped when empty. */
  public static int putAddressListOption(byte[] b, int p, int code, int[] addresses) {
    if (addresses.length == 0) {
      return p;
    }
    b[p] = (byte) code;
    b[p + 1] = (byte) (4 * addresses.length);
    for (int i = 0; i < addresses.length; i++) {
      Bytes.put32(b, p + 2 + 4 * i, addresses[i]);
    }
    return p + 2 + 4 * addresses.length;
  }

  public static int putEnd(byte[] b, int p) {
    b[p] = (byte) OPT_END;
    return p + 1;
  }
}
