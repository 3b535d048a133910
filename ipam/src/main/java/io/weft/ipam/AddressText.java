package io.weft.ipam;

import inet.ipaddr.AddressStringException;
import inet.ipaddr.AddressStringParameters.RangeParameters;
import inet.ipaddr.IPAddress;
import inet.ipaddr.IPAddressString;
import inet.ipaddr.IPAddressStringParameters;
import inet.ipaddr.ipv4.IPv4Address;
import inet.ipaddr.ipv6.IPv6Address;
import java.math.BigInteger;

/**
 * Text ⇄ address conversion, the only place that touches the address library.
 *
 * <p>Why {@code com.github.seancfoley:ipaddress}: it parses and formats IPv4 and IPv6 with one API
 * (RFC 5952 canonical IPv6, embedded IPv4, strictness switches), whereas Commons Net's {@code
 * SubnetUtils} is IPv4-only and {@code InetAddress} resolves host names and accepts inet_aton
 * shorthand such as {@code 10.1}. We use it for text only and keep the arithmetic in {@link
 * BigInteger}, which is what the database stores (NUMERIC(39,0)), so one representation serves both
 * families.
 */
final class AddressText {

  /** Strict: one plain address (optionally /len); no wildcards, ranges, masks, zones, shorthand. */
  private static final IPAddressStringParameters STRICT =
      new IPAddressStringParameters.Builder()
          .allowEmpty(false)
          .allowAll(false)
          .allowSingleSegment(false)
          .allowMask(false)
          .allowPrefixOnly(false)
          .allowWildcardedSeparator(false)
          .setRangeOptions(RangeParameters.NO_RANGE)
          .allow_inet_aton(false)
          .getIPv4AddressParametersBuilder()
          .allowLeadingZeros(false)
          .getParentBuilder()
          .getIPv6AddressParametersBuilder()
          .allowZone(false)
          .allowBase85(false)
          .getParentBuilder()
          .toParams();

  /** An address parsed from text, with the prefix length written after it (or null). */
  record Parsed(IpFamily family, BigInteger value, Integer prefixLength) {}

  private AddressText() {}

  static Parsed parse(String text, String field) {
    if (text == null || text.isBlank()) {
      throw new IpamValidationException(field + " is empty", field);
    }
    IPAddressString string = new IPAddressString(text.strip(), STRICT);
    IPAddress address;
    try {
      address = string.toAddress();
    } catch (AddressStringException e) {
      throw new IpamValidationException(
          "'" + text.strip() + "' is not a valid IP address or prefix: " + e.getMessage(),
          field,
          e);
    }
    IpFamily family = address.isIPv4() ? IpFamily.V4 : IpFamily.V6;
    // A prefixed string with a zero host is a whole subnet to the library, one with host bits set
    // is a single address: either way the lower end is the address as written.
    BigInteger value = address.getLower().getValue();
    return new Parsed(family, value, address.getNetworkPrefixLength());
  }

  static String format(IpFamily family, BigInteger value) {
    return switch (family) {
      case V4 -> new IPv4Address(value.intValue()).toCanonicalString();
      case V6 -> new IPv6Address(value).toCanonicalString();
    };
  }
}
