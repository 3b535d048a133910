package io.weft.ipam;

import java.util.HexFormat;
import java.util.Locale;

/** A 48-bit MAC address; {@link #toString()} is lower-case and colon-separated. */
public record MacAddress(long value) implements Comparable<MacAddress> {

  public static final long MAX_VALUE = (1L << 48) - 1;

  public MacAddress {
    if (value < 0 || value > MAX_VALUE) {
      throw new IpamValidationException(
          "0x" + Long.toHexString(value) + " is not a 48-bit MAC address", "mac");
    }
  }

  /** Parses {@code 02:57:46:00:00:01} or {@code 02-57-46-00-00-01} (either case). */
  public static MacAddress parse(String text) {
    String trimmed = text == null ? "" : text.strip();
    String[] parts = trimmed.split("[:-]", -1);
    if (parts.length != 6) {
      throw new IpamValidationException(
          "'" + trimmed + "' is not a MAC address; write six hex octets like 02:57:46:00:00:01",
          "mac");
    }
    long value = 0;
    for (String part : parts) {
      if (part.length() != 2
          || !HexFormat.isHexDigit(part.charAt(0))
          || !HexFormat.isHexDigit(part.charAt(1))) {
        throw new IpamValidationException(
            "'" + trimmed + "' is not a MAC address: octet '" + part + "' is not two hex digits",
            "mac");
      }
      value = (value << 8) | HexFormat.fromHexDigits(part);
    }
    return new MacAddress(value);
  }

  /** The six octets, most significant first. */
  public byte[] toBytes() {
    byte[] bytes = new byte[6];
    for (int i = 0; i < 6; i++) {
      bytes[i] = (byte) (value >>> (40 - 8 * i));
    }
    return bytes;
  }

  /** True for a locally administered address (bit 1 of the first octet). */
  public boolean isLocallyAdministered() {
    return ((value >>> 40) & 0x02) != 0;
  }

  /** True for a group (multicast or broadcast) address (bit 0 of the first octet). */
  public boolean isMulticast() {
    return ((value >>> 40) & 0x01) != 0;
  }

  @Override
  public int compareTo(MacAddress other) {
    return Long.compare(value, other.value);
  }

  @Override
  public String toString() {
    StringBuilder text = new StringBuilder(17);
    for (int i = 0; i < 6; i++) {
      if (i > 0) {
        text.append(':');
      }
      text.append(String.format(Locale.ROOT, "%02x", (value >>> (40 - 8 * i)) & 0xff));
    }
    return text.toString();
  }
}
