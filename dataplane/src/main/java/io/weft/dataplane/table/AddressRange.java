package io.weft.dataplane.table;

/** An inclusive range of addresses of one family, e.g. a DHCP pool. */
public record AddressRange(IpAddress first, IpAddress last) {

  public AddressRange {
    if (first == null || last == null) {
      throw new IllegalArgumentException("range needs first and last");
    }
    if (first.v6() != last.v6() || first.compareTo(last) > 0) {
      throw new IllegalArgumentException("range " + first + " - " + last + " is not ascending");
    }
  }

  public boolean contains(IpAddress a) {
    return a.v6() == first.v6() && a.compareTo(first) >= 0 && a.compareTo(last) <= 0;
  }
}
