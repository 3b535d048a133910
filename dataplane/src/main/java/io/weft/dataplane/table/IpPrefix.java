package io.weft.dataplane.table;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** A CIDR prefix such as {@code 10.0.0.0/24} or {@code fd00:1::/64}; host bits must be zero. */
public record IpPrefix(IpAddress network, int length) {

  public IpPrefix {
    if (network == null) {
      throw new IllegalArgumentException("prefix network is required");
    }
    if (length < 0 || length > network.bitLength()) {
      throw new IllegalArgumentException(
          "prefix length " + length + " out of range for " + network);
    }
    if (!network.equals(mask(network, length))) {
      throw new IllegalArgumentException("prefix " + network + "/" + length + " has host bits set");
    }
  }

  @JsonCreator
  public static IpPrefix parse(String text) {
    int slash = text == null ? -1 : text.indexOf('/');
    if (slash < 0) {
      throw new IllegalArgumentException("not a prefix (address/length): '" + text + "'");
    }
    int length;
    try {
      length = Integer.parseInt(text.substring(slash + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("not a prefix length in '" + text + "'");
    }
    return new IpPrefix(IpAddress.parse(text.substring(0, slash)), length);
  }

  public boolean contains(IpAddress address) {
    return address.v6() == network.v6() && mask(address, length).equals(network);
  }

  /** IPv4 netmask bits (e.g. 0xFFFFFF00 for /24); only for IPv4. */
  public int v4Mask() {
    return length == 0 ? 0 : (int) (0xFFFFFFFFL << (32 - length));
  }

  static IpAddress mask(IpAddress a, int length) {
    if (!a.v6()) {
      long m = length == 0 ? 0 : (0xFFFFFFFFL << (32 - length)) & 0xFFFFFFFFL;
      return new IpAddress(false, 0, a.lo() & m);
    }
    long hiMask = length >= 64 ? -1L : (length == 0 ? 0 : -1L << (64 - length));
    long loMask = length <= 64 ? 0 : (length == 128 ? -1L : -1L << (128 - length));
    return new IpAddress(true, a.hi() & hiMask, a.lo() & loMask);
  }

  @JsonValue
  @Override
  public String toString() {
    return network + "/" + length;
  }
}
