package io.weft.dataplane.table;

import java.util.List;

/**
 * DHCPv4 settings of a subnet. The ranges bound what the fabric may assign; the host's responder
 * never picks an address on its own outside simulation (see {@code pipeline.LeaseAuthority}).
 */
public record DhcpConfig(List<AddressRange> ranges, int leaseSeconds, List<IpAddress> dnsServers) {

  public DhcpConfig {
    ranges = List.copyOf(ranges == null ? List.of() : ranges);
    dnsServers = List.copyOf(dnsServers == null ? List.of() : dnsServers);
    if (leaseSeconds < 60) {
      throw new IllegalArgumentException("leaseSeconds must be at least 60, got " + leaseSeconds);
    }
  }

  public boolean inRanges(IpAddress a) {
    for (AddressRange r : ranges) {
      if (r.contains(a)) {
        return true;
      }
    }
    return false;
  }
}
