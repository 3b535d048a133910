package io.weft.dataplane.lab;

import io.weft.dataplane.table.AddressRange;
import io.weft.dataplane.table.AddressingMode;
import io.weft.dataplane.table.DhcpConfig;
import io.weft.dataplane.table.Encapsulation;
import io.weft.dataplane.table.IpAddress;
import io.weft.dataplane.table.IpPrefix;
import io.weft.dataplane.table.MacAddress;
import io.weft.dataplane.table.VmSubnet;
import java.io.IOException;
import java.util.List;
import java.util.UUID;

/**
 * The lab's standard cloud (used by the root tests and {@code ./weft lab up}): two Weft agents on
 * hosts {@code h1}, {@code h2} (NVGRE) and two tenants with identical CIDRs.
 *
 * <pre>
 * tenant A (VM network A)                  tenant B (VM network B)
 *   5001 10.0.0.0/24: a1@h1 .10, a2@h2 .11    6001 10.0.0.0/24: b1@h1 .10, b2@h2 .11, b3@h2 .12
 *   5002 10.0.1.0/24: a3@h2 .10               6002 10.0.1.0/24: (none)
 *   DHCP in 5001: d1@h2 (gets .100), d2@h1 (gets .101)
 * wl-x: a namespace on the underlay (192.168.77.9) with no agent, for hostile packets
 * </pre>
 */
public final class TwoTenantLab {

  public static final UUID NETWORK_A = UUID.fromString("00000000-0000-0000-0000-0000000000aa");
  public static final UUID NETWORK_B = UUID.fromString("00000000-0000-0000-0000-0000000000bb");

  private TwoTenantLab() {}

  /** Sweeps leftovers, builds the cloud and pushes its tables; removes it all if that fails. */
  public static LabCloud build() throws IOException {
    LabCloud c = LabCloud.start(Encapsulation.NVGRE, List.of("h1", "h2"));
    try {
      c.network(
          NETWORK_A,
          subnet(5001, "10.0.0.0/24", "10.0.0.1"),
          subnet(5002, "10.0.1.0/24", "10.0.1.1"));
      c.network(
          NETWORK_B,
          subnet(6001, "10.0.0.0/24", "10.0.0.1"),
          subnet(6002, "10.0.1.0/24", "10.0.1.1"));
      AddressingMode s = AddressingMode.STATIC;
      c.vm("a1", "h1", NETWORK_A, 5001, "02:0a:00:00:00:01", "10.0.0.10", s);
      c.vm("a2", "h2", NETWORK_A, 5001, "02:0a:00:00:00:02", "10.0.0.11", s);
      c.vm("a3", "h2", NETWORK_A, 5002, "02:0a:00:00:00:03", "10.0.1.10", s);
      c.vm("b1", "h1", NETWORK_B, 6001, "02:0b:00:00:00:01", "10.0.0.10", s);
      c.vm("b2", "h2", NETWORK_B, 6001, "02:0b:00:00:00:02", "10.0.0.11", s);
      c.vm("b3", "h2", NETWORK_B, 6001, "02:0b:00:00:00:03", "10.0.0.12", s);
      // DHCP clients: the fabric has assigned their addresses, the responder hands them out.
      c.vm("d1", "h2", NETWORK_A, 5001, "02:0a:00:00:00:d1", "10.0.0.100", AddressingMode.DHCP);
      c.vm("d2", "h1", NETWORK_A, 5001, "02:0a:00:00:00:d2", "10.0.0.101", AddressingMode.DHCP);
      // An intruder on the provider network (no agent): it sends hostile underlay packets.
      c.lab().host("x", 9);
      c.push();
      return c;
    } catch (IOException | RuntimeException | Error e) {
      c.close();
      throw e;
    }
  }

  /** An IPv4 subnet with DHCP range .100–.199 and DNS server 10.255.0.53. */
  public static VmSubnet subnet(int vsid, String cidr, String gateway) {
    IpPrefix prefix = IpPrefix.parse(cidr);
    DhcpConfig dhcp =
        new DhcpConfig(
            List.of(new AddressRange(prefix.network().plus(100), prefix.network().plus(199))),
            3600,
            List.of(IpAddress.parse("10.255.0.53")));
    return new VmSubnet(
        vsid, prefix, IpAddress.parse(gateway), MacAddress.DISTRIBUTED_ROUTER, dhcp);
  }
}
