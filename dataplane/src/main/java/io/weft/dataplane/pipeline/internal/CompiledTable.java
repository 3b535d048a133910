package io.weft.dataplane.pipeline.internal;

import io.weft.dataplane.table.AddressRange;
import io.weft.dataplane.table.AddressingMode;
import io.weft.dataplane.table.HostTable;
import io.weft.dataplane.table.IpAddress;
import io.weft.dataplane.table.LookupRecord;
import io.weft.dataplane.table.PortEntry;
import io.weft.dataplane.table.VmNetworkTable;
import io.weft.dataplane.table.VmSubnet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A host table laid out for the packet path: parallel arrays indexed by subnet, record and port,
 * and hash indexes keyed by primitives. Built off the hot path whenever a table is installed;
 * immutable afterwards.
 */
public final class CompiledTable {

  private static final long KIND_IP4 = 1L << 32;
  private static final long KIND_IP6 = 2L << 32;
  private static final long KIND_MAC = 3L << 32;

  public final HostTable source;
  public final int localPa;
  public final boolean vxlan;
  public final int overlayMtu;

  // Subnets.
  public final VmSubnet[] subnets;
  public final int[] subnetVsid;
  public final int[] subnetDomain;
  public final long[] gatewayMac;

  /** Per domain, the indexes of its subnets (for routing between them). */
  public final int[][] domainSubnets;

  // Lookup records.
  public final int[] recordVsid;
  public final long[] recordMac;
  public final int[] recordPa;

  /** Index of the local port holding the record's vNIC, or -1 when the vNIC is elsewhere. */
  public final int[] recordLocalPort;

  // Ports.
  public final PortEntry[] ports;
  public final int[] portSubnet;
  public final int[] portDomain;
  public final long[] portMac;

  /** Allowed IPv4 source addresses per port. */
  public final int[][] allowedV4;

  /** Allowed IPv6 source addresses per port as hi, lo pairs. */
  public final long[][] allowedV6;

  private final Map<String, Integer> portsById = new HashMap<>();

  private final TripleKeyIndex recordIndex;
  private final TripleKeyIndex subnetByVsid;

  public CompiledTable(HostTable t) {
    source = t;
    localPa = t.localPa().v4Bits();
    vxlan = t.encapsulation() == io.weft.dataplane.table.Encapsulation.VXLAN;
    overlayMtu = t.overlayMtu();
    List<VmSubnet> subnetList = new ArrayList<>();
    List<Integer> subnetDomains = new ArrayList<>();
    List<LookupRecord> recordList = new ArrayList<>();
    List<PortEntry> portList = new ArrayList<>();
    List<Integer> portDomains = new ArrayList<>();
    domainSubnets = new int[t.networks().size()][];
    for (int d = 0; d < t.networks().size(); d++) {
      VmNetworkTable n = t.networks().get(d);
      domainSubnets[d] = new int[n.subnets().size()];
      for (int s = 0; s < n.subnets().size(); s++) {
        domainSubnets[d][s] = subnetList.size();
        subnetList.add(n.subnets().get(s));
        subnetDomains.add(d);
      }
      recordList.addAll(n.lookupRecords());
      for (PortEntry p : n.ports()) {
        portList.add(p);
        portDomains.add(d);
      }
    }
    subnets = subnetList.toArray(VmSubnet[]::new);
    subnetVsid = new int[subnets.length];
    subnetDomain = new int[subnets.length];
    gatewayMac = new long[subnets.length];
    subnetByVsid = new TripleKeyIndex(subnets.length);
    for (int i = 0; i < subnets.length; i++) {
      subnetVsid[i] = subnets[i].vsid();
      subnetDomain[i] = subnetDomains.get(i);
      gatewayMac[i] = subnets[i].gatewayMac().value();
      subnetByVsid.put(subnetVsid[i], 0, 0, i);
    }
    ports = portList.toArray(PortEntry[]::new);
    portSubnet = new int[ports.length];
    portDomain = new int[ports.length];
    portMac = new long[ports.length];
    allowedV4 = new int[ports.length][];
    allowedV6 = new long[ports.length][];
    TripleKeyIndex portByMac = new TripleKeyIndex(ports.length);
    for (int i = 0; i < ports.length; i++) {
      portSubnet[i] = subnetOf(ports[i].vsid());
      portDomain[i] = portDomains.get(i);
      portMac[i] = ports[i].mac().value();
      portsById.put(ports[i].portId(), i);
      portByMac.put(ports[i].vsid(), portMac[i], 0, i);
      List<IpAddress> allowed = ports[i].allowedAddresses();
      allowedV4[i] = allowed.stream().filter(a -> !a.v6()).mapToInt(IpAddress::v4Bits).toArray();
      allowedV6[i] =
          allowed.stream()
              .filter(IpAddress::v6)
              .flatMapToLong(a -> java.util.stream.LongStream.of(a.hi(), a.lo()))
              .toArray();
    }
    int n = recordList.size();
    recordVsid = new int[n];
    recordMac = new long[n];
    recordPa = new int[n];
    recordLocalPort = new int[n];
    recordIndex = new TripleKeyIndex(n * 2 + ports.length);
    for (int i = 0; i < n; i++) {
      LookupRecord r = recordList.get(i);
      recordVsid[i] = r.vsid();
      recordMac[i] = r.mac().value();
      recordPa[i] = r.pa().v4Bits();
      recordLocalPort[i] = recordPa[i] == localPa ? portByMac.get(r.vsid(), recordMac[i], 0) : -1;
      IpAddress ca = r.ca();
      recordIndex.put(r.vsid() | (ca.v6() ? KIND_IP6 : KIND_IP4), ca.hi(), ca.lo(), i);
      recordIndex.put(r.vsid() | KIND_MAC, recordMac[i], 0, i);
    }
    localMacIndex = portByMac;
  }

  private final TripleKeyIndex localMacIndex;

  /** Subnet index of a VSID present on this host, or -1. */
  public int subnetOf(int vsid) {
    return subnetByVsid.get(vsid, 0, 0);
  }

  public boolean allowsV4(int port, int address) {
    int[] list = allowedV4[port];
    for (int k = 0; k < list.length; k++) {
      if (list[k] == address) {
        return true;
      }
    }
    return false;
  }

  public boolean allowsV6(int port, long hi, long lo) {
    long[] list = allowedV6[port];
    for (int k = 0; k + 1 < list.length; k += 2) {
      if (list[k] == hi && list[k + 1] == lo) {
        return true;
      }
    }
    return false;
  }

  /** IPv4 gateway of the subnet, or 0 when the subnet is IPv6. */
  public int gatewayV4(int subnet) {
    IpAddress g = subnets[subnet].gateway();
    return g.v6() ? 0 : g.v4Bits();
  }

  public int portIndex(String portId) {
    Integer i = portsById.get(portId);
    return i == null ? -1 : i;
  }

  public int recordByIp4(int vsid, int ip) {
    return recordIndex.get(vsid | KIND_IP4, 0, ip & 0xFFFFFFFFL);
  }

  public int recordByIp6(int vsid, long hi, long lo) {
    return recordIndex.get(vsid | KIND_IP6, hi, lo);
  }

  public int recordByMac(int vsid, long mac) {
    return recordIndex.get(vsid | KIND_MAC, mac, 0);
  }

  /** Local port of the vNIC with this MAC in this VSID, or -1. */
  public int localPortByMac(int vsid, long mac) {
    return localMacIndex.get(vsid, mac, 0);
  }

  /** The subnet of domain {@code domain} whose prefix holds the address, or -1. */
  public int subnetContaining(int domain, boolean v6, long hi, long lo) {
    int[] list = domainSubnets[domain];
    for (int k = 0; k < list.length; k++) {
      VmSubnet s = subnets[list[k]];
      IpAddress net = s.prefix().network();
      if (net.v6() != v6) {
        continue;
      }
      int len = s.prefix().length();
      if (!v6) {
        long mask = len == 0 ? 0 : (0xFFFFFFFFL << (32 - len)) & 0xFFFFFFFFL;
        if ((lo & mask) == net.lo()) {
          return list[k];
        }
      } else {
        long hiMask = len >= 64 ? -1L : (len == 0 ? 0 : -1L << (64 - len));
        long loMask = len <= 64 ? 0 : (len == 128 ? -1L : -1L << (128 - len));
        if ((hi & hiMask) == net.hi() && (lo & loMask) == net.lo()) {
          return list[k];
        }
      }
    }
    return -1;
  }

  /** The IPv4 address the table assigns a DHCP port (first allowed IPv4 in its subnet), or 0. */
  public int assignedV4(int port) {
    VmSubnet s = subnets[portSubnet[port]];
    for (IpAddress a : ports[port].allowedAddresses()) {
      if (!a.v6() && s.prefix().contains(a)) {
        return a.v4Bits();
      }
    }
    return 0;
  }

  public boolean isDhcp(int port) {
    return ports[port].addressing() == AddressingMode.DHCP;
  }

  /** True when the IPv4 address is inside one of the subnet's DHCP ranges. */
  public boolean inDhcpRange(int subnet, int v4) {
    VmSubnet s = subnets[subnet];
    if (s.dhcp() == null) {
      return false;
    }
    for (AddressRange r : s.dhcp().ranges()) {
      if (r.contains(IpAddress.v4(v4))) {
        return true;
      }
    }
    return false;
  }
}
