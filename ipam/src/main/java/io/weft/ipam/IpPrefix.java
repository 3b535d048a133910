package io.weft.ipam;

import java.math.BigInteger;
import java.util.Objects;

/**
 * A CIDR prefix such as {@code 10.0.0.0/24} or {@code 2001:db8::/64}. The network address has no
 * host bits set: {@code 10.0.0.1/24} is refused with a hint at {@code 10.0.0.0/24}.
 */
public record IpPrefix(IpAddressValue network, int length) {

  public IpPrefix {
    Objects.requireNonNull(network, "network");
    int bits = network.family().bits();
    if (length < 0 || length > bits) {
      throw new IpamValidationException(
          "prefix length " + length + " is outside 0.." + bits + " for " + network, "cidr");
    }
    BigInteger hostMask = hostMask(bits, length);
    if (network.value().and(hostMask).signum() != 0) {
      IpAddressValue suggested =
          IpAddressValue.of(network.family(), network.value().andNot(hostMask));
      throw new IpamValidationException(
          network
              + "/"
              + length
              + " has host bits set; did you mean "
              + suggested
              + "/"
              + length
              + "?",
          "cidr");
    }
  }

  /** Parses {@code address/length}; the address must be the network address of the prefix. */
  public static IpPrefix parse(String cidr) {
    return parse(cidr, "cidr");
  }

  /** Parses {@code address/length}, naming {@code field} in any error. */
  public static IpPrefix parse(String cidr, String field) {
    AddressText.Parsed parsed = AddressText.parse(cidr, field);
    if (parsed.prefixLength() == null) {
      throw new IpamValidationException(
          "'"
              + cidr.strip()
              + "' has no prefix length; write a CIDR such as "
              + (parsed.family() == IpFamily.V4 ? "10.0.0.0/24" : "2001:db8::/64"),
          field);
    }
    try {
      return new IpPrefix(
          IpAddressValue.of(parsed.family(), parsed.value()), parsed.prefixLength());
    } catch (IpamValidationException e) {
      throw new IpamValidationException(e.getMessage(), field);
    }
  }

  public IpFamily family() {
    return network.family();
  }

  /** The first address of the prefix (the network address). */
  public IpAddressValue first() {
    return network;
  }

  /** The last address of the prefix (the IPv4 broadcast address). */
  public IpAddressValue last() {
    return IpAddressValue.of(family(), network.value().or(hostMask(family().bits(), length)));
  }

  /** How many addresses the prefix spans, network and broadcast included. */
  public BigInteger size() {
    return BigInteger.ONE.shiftLeft(family().bits() - length);
  }

  /**
   * The addresses that may be handed to hosts: without the network address, and for IPv4 without
   * the broadcast address. Point-to-point and host prefixes (/31, /32, /127, /128) keep all.
   */
  public IpRange hosts() {
    int hostBits = family().bits() - length;
    if (hostBits <= 1) {
      return new IpRange(first(), last());
    }
    IpAddressValue lastHost = family() == IpFamily.V4 ? last().plus(-1) : last();
    return new IpRange(first().plus(1), lastHost);
  }

  /** The first host address: by Weft's convention the default gateway of a subnet. */
  public IpAddressValue firstHost() {
    return hosts().start();
  }

  /** The last host address (the IPv4 address before broadcast). */
  public IpAddressValue lastHost() {
    return hosts().end();
  }

  public boolean contains(IpAddressValue address) {
    return address.family() == family()
        && address.value().compareTo(network.value()) >= 0
        && address.value().compareTo(last().value()) <= 0;
  }

  public boolean contains(IpPrefix other) {
    return other.family() == family() && other.length >= length && contains(other.network);
  }

  public boolean contains(IpRange range) {
    return contains(range.start()) && contains(range.end());
  }

  public boolean overlaps(IpPrefix other) {
    return contains(other) || other.contains(this);
  }

  /** The prefix as a range of addresses, network and broadcast included. */
  public IpRange toRange() {
    return new IpRange(first(), last());
  }

  @Override
  public String toString() {
    return network + "/" + length;
  }

  private static BigInteger hostMask(int bits, int length) {
    return BigInteger.ONE.shiftLeft(bits - length).subtract(BigInteger.ONE);
  }
}
