package io.weft.ipam;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Objects;

/**
 * One IPv4 or IPv6 address as a number. Ordered by family, then value; {@link #toString()} is the
 * canonical text (dotted quad, RFC 5952 for IPv6), which {@link #parse(String)} reads back.
 */
public record IpAddressValue(IpFamily family, BigInteger value)
    implements Comparable<IpAddressValue> {

  public IpAddressValue {
    Objects.requireNonNull(family, "family");
    Objects.requireNonNull(value, "value");
    if (value.signum() < 0 || value.compareTo(family.maxValue()) > 0) {
      throw new IpamValidationException(
          value + " is outside the IP" + family.name().toLowerCase() + " address space", "address");
    }
  }

  /** Parses a plain address such as {@code 10.0.0.5} or {@code 2001:db8::5}. */
  public static IpAddressValue parse(String text) {
    return parse(text, "address");
  }

  /** Parses a plain address, naming {@code field} in any error. */
  public static IpAddressValue parse(String text, String field) {
    AddressText.Parsed parsed = AddressText.parse(text, field);
    if (parsed.prefixLength() != null) {
      throw new IpamValidationException(
          "'" + text.strip() + "' is a prefix, not a single address", field);
    }
    return new IpAddressValue(parsed.family(), parsed.value());
  }

  public static IpAddressValue of(IpFamily family, BigInteger value) {
    return new IpAddressValue(family, value);
  }

  public static IpAddressValue of(InetAddress address) {
    return new IpAddressValue(
        address.getAddress().length == 4 ? IpFamily.V4 : IpFamily.V6,
        new BigInteger(1, address.getAddress()));
  }

  public boolean isV4() {
    return family == IpFamily.V4;
  }

  public boolean isV6() {
    return family == IpFamily.V6;
  }

  /** The address {@code delta} further on; fails when that leaves the address space. */
  public IpAddressValue plus(long delta) {
    return new IpAddressValue(family, value.add(BigInteger.valueOf(delta)));
  }

  public InetAddress toInetAddress() {
    byte[] raw = value.toByteArray();
    byte[] bytes = new byte[family.bits() / 8];
    int copy = Math.min(raw.length, bytes.length);
    System.arraycopy(raw, raw.length - copy, bytes, bytes.length - copy, copy);
    try {
      return InetAddress.getByAddress(bytes);
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e); // cannot happen: length is 4 or 16
    }
  }

  @Override
  public int compareTo(IpAddressValue other) {
    int byFamily = family.compareTo(other.family);
    return byFamily != 0 ? byFamily : value.compareTo(other.value);
  }

  @Override
  public String toString() {
    return AddressText.format(family, value);
  }
}
