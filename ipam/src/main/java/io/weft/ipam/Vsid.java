package io.weft.ipam;

/**
 * A Virtual Subnet ID: 24 bits, unique across the cloud. 0..4095 are reserved (as in HNV) and
 * 0xFFFFFF is reserved, so usable values are {@value #MIN}..{@value #MAX}.
 */
public record Vsid(int value) implements Comparable<Vsid> {

  public static final int MIN = 4096;
  public static final int MAX = 16_777_214;

  public Vsid {
    if (value < MIN || value > MAX) {
      throw new IpamValidationException(
          "VSID "
              + value
              + " is outside the usable range "
              + MIN
              + ".."
              + MAX
              + (value >= 0 && value < MIN ? " (0..4095 are reserved)" : ""),
          "vsid");
    }
  }

  public static Vsid of(int value) {
    return new Vsid(value);
  }

  @Override
  public int compareTo(Vsid other) {
    return Integer.compare(value, other.value);
  }

  @Override
  public String toString() {
    return Integer.toString(value);
  }
}
