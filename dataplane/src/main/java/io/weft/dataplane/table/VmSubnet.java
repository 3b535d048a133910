package io.weft.dataplane.table;

/**
 * A VM subnet as a host sees it: its VSID, prefix, the distributed gateway (address and MAC,
 * answered on every host) and, when it serves DHCP, its DHCP settings ({@code null} otherwise).
 */
public record VmSubnet(
    int vsid, IpPrefix prefix, IpAddress gateway, MacAddress gatewayMac, DhcpConfig dhcp) {

  /** First usable VSID: 0..4095 are reserved. */
  public static final int MIN_VSID = 4096;

  /** Last usable VSID: 0xFFFFFF is reserved. */
  public static final int MAX_VSID = 0xFFFFFE;

  public VmSubnet {
    if (vsid < MIN_VSID || vsid > MAX_VSID) {
      throw new IllegalArgumentException("vsid " + vsid + " outside " + MIN_VSID + ".." + MAX_VSID);
    }
    if (prefix == null || gateway == null) {
      throw new IllegalArgumentException("subnet " + vsid + " needs prefix and gateway");
    }
    if (gatewayMac == null) {
      gatewayMac = MacAddress.DISTRIBUTED_ROUTER;
    }
  }
}
