package io.weft.portal.ui.tenant;

import java.util.Optional;

/**
 * Suggests a DHCP range for an IPv4 subnet: .100–.199 of a /24 or larger, else the upper half
 * without the last address. Only a suggestion: the fabric validates whatever the user keeps.
 */
final class Ipv4Defaults {

  private Ipv4Defaults() {}

  record Range(String start, String end) {}

  static Optional<Range> dhcpRange(String cidr) {
    try {
      String[] parts = cidr.strip().split("/");
      int prefix = Integer.parseInt(parts[1]);
      if (prefix < 8 || prefix > 29) {
        return Optional.empty();
      }
      long base = toLong(parts[0]) & (0xFFFFFFFFL << (32 - prefix)) & 0xFFFFFFFFL;
      long size = 1L << (32 - prefix);
      if (prefix <= 24) {
        return Optional.of(new Range(toText(base + 100), toText(base + 199)));
      }
      return Optional.of(new Range(toText(base + size / 2), toText(base + size - 2)));
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }

  private static long toLong(String address) {
    String[] octets = address.split("\\.");
    if (octets.length != 4) {
      throw new IllegalArgumentException(address);
    }
    long value = 0;
    for (String o : octets) {
      int n = Integer.parseInt(o);
      if (n < 0 || n > 255) {
        throw new IllegalArgumentException(address);
      }
      value = value << 8 | n;
    }
    return value;
  }

  private static String toText(long v) {
    return (v >> 24 & 255) + "." + (v >> 16 & 255) + "." + (v >> 8 & 255) + "." + (v & 255);
  }
}
