package io.weft.dataplane.table;

import java.util.List;
import java.util.UUID;

/** Small tables for tests: two tenants with identical CIDRs. */
public final class TableFixtures {

  public static final UUID TENANT_A = UUID.fromString("00000000-0000-0000-0000-00000000000a");
  public static final UUID TENANT_B = UUID.fromString("00000000-0000-0000-0000-00000000000b");

  private TableFixtures() {}

  public static IpAddress ip(String s) {
    return IpAddress.parse(s);
  }

  public static MacAddress mac(String s) {
    return MacAddress.parse(s);
  }

  public static VmSubnet subnet(int vsid, String cidr, String gateway) {
    IpPrefix prefix = IpPrefix.parse(cidr);
    DhcpConfig dhcp =
        prefix.network().v6()
            ? null
            : new DhcpConfig(
                List.of(new AddressRange(prefix.network().plus(100), prefix.network().plus(199))),
                3600,
                List.of(ip("10.255.0.53")));
    return new VmSubnet(vsid, prefix, ip(gateway), MacAddress.DISTRIBUTED_ROUTER, dhcp);
  }

  public static HostTable oneNetwork(long generation) {
    VmSubnet s = subnet(5001, "10.0.0.0/24", "10.0.0.1");
    LookupRecord r1 =
        new LookupRecord(5001, ip("10.0.0.10"), mac("02:00:00:00:00:10"), ip("192.168.1.1"));
    LookupRecord r2 =
        new LookupRecord(5001, ip("10.0.0.11"), mac("02:00:00:00:00:11"), ip("192.168.1.2"));
    PortEntry p =
        PortEntry.guarded(
            "vm-1",
            5001,
            mac("02:00:00:00:00:10"),
            AddressingMode.STATIC,
            List.of(ip("10.0.0.10")));
    return new HostTable(
        "host-1",
        generation,
        Encapsulation.NVGRE,
        ip("192.168.1.1"),
        1400,
        List.of(new VmNetworkTable(TENANT_A, List.of(s), List.of(r1, r2), List.of(p))));
  }
}
