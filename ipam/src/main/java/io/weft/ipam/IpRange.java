package io.weft.ipam;

import java.math.BigInteger;
import java.util.Objects;

/** An inclusive range of addresses of one family, {@code start <= end}. */
public record IpRange(IpAddressValue start, IpAddressValue end) {

  public IpRange {
    Objects.requireNonNull(start, "start");
    Objects.requireNonNull(end, "end");
    if (start.family() != end.family()) {
      throw new IpamValidationException(
          "range " + start + "-" + end + " mixes IPv4 and IPv6", "end");
    }
    if (start.compareTo(end) > 0) {
      throw new IpamValidationException(
          "range start " + start + " is after its end " + end, "start");
    }
  }

  /**
   * Parses {@code start-end}, e.g. {@code 10.0.0.100-10.0.0.199}; a single address is a range of
   * one.
   */
  public static IpRange parse(String text) {
    if (text == null || text.isBlank()) {
      throw new IpamValidationException("range is empty", "range");
    }
    int dash = text.indexOf('-');
    if (dash < 0) {
      IpAddressValue only = IpAddressValue.parse(text, "range");
      return new IpRange(only, only);
    }
    return of(text.substring(0, dash), text.substring(dash + 1));
  }

  /** Parses both ends, naming {@code start} or {@code end} in any error. */
  public static IpRange of(String start, String end) {
    return new IpRange(IpAddressValue.parse(start, "start"), IpAddressValue.parse(end, "end"));
  }

  public IpFamily family() {
    return start.family();
  }

  /** How many addresses the range holds, both ends included. */
  public BigInteger size() {
    return end.value().subtract(start.value()).add(BigInteger.ONE);
  }

  public boolean contains(IpAddressValue address) {
    return address.family() == family()
        && address.compareTo(start) >= 0
        && address.compareTo(end) <= 0;
  }

  public boolean contains(IpRange other) {
    return contains(other.start) && contains(other.end);
  }

  public boolean overlaps(IpRange other) {
    return other.family() == family()
        && start.compareTo(other.end) <= 0
        && other.start.compareTo(end) <= 0;
  }

  @Override
  public String toString() {
    return start + "-" + end;
  }
}
