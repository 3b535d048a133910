package io.weft.dataplane.table;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** A 48-bit Ethernet address in the low bits of a long; text form {@code 02:00:5e:00:00:01}. */
public record MacAddress(long value) implements Comparable<MacAddress> {

  /**
   * The MAC of the distributed router: every host answers ARP/NS for each subnet's gateway with it,
   * so a VM keeps its gateway entry when it moves between hosts.
   */
  public static final MacAddress DISTRIBUTED_ROUTER = parse("02:57:45:46:54:01");

  public static final MacAddress BROADCAST = new MacAddress(0xFFFF_FFFF_FFFFL);

  public MacAddress {
    if ((value >>> 48) != 0) {
      throw new IllegalArgumentException("MAC address must fit in 48 bits");
    }
  }

  @JsonCreator
  public static MacAddress parse(String text) {
    if (text == null || text.length() != 17) {
      throw new IllegalArgumentException("not a MAC address: '" + text + "'");
    }
    long v = 0;
    for (int i = 0; i < 6; i++) {
      int p = i * 3;
      if (i > 0 && text.charAt(p - 1) != ':' && text.charAt(p - 1) != '-') {
        throw new IllegalArgumentException("not a MAC address: '" + text + "'");
      }
      int h = Character.digit(text.charAt(p), 16);
      int l = Character.digit(text.charAt(p + 1), 16);
      if (h < 0 || l < 0) {
        throw new IllegalArgumentException("not a MAC address: '" + text + "'");
      }
      v = (v << 8) | (h << 4) | l;
    }
    return new MacAddress(v);
  }

  public boolean isMulticast() {
    return ((value >>> 40) & 1) != 0;
  }

  @Override
  public int compareTo(MacAddress o) {
    return Long.compare(value, o.value);
  }

  @JsonValue
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder(17);
    for (int i = 5; i >= 0; i--) {
      int b = (int) ((value >>> (8 * i)) & 0xFF);
      sb.append(Character.forDigit(b >>> 4, 16)).append(Character.forDigit(b & 0xF, 16));
      if (i > 0) {
        sb.append(':');
      }
    }
    return sb.toString();
  }
}
