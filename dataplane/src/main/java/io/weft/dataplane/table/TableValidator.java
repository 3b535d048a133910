package io.weft.dataplane.table;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Checks that a host table is consistent before an agent forwards with it. A table that fails is
 * rejected as a whole: the agent keeps the previous one and reports the first problem.
 */
public final class TableValidator {

  private TableValidator() {}

  /** Throws {@link InvalidTableException} with the first problem found. */
  public static void validate(HostTable table) {
    List<String> problems = problems(table);
    if (!problems.isEmpty()) {
      throw new InvalidTableException(problems.getFirst());
    }
  }

  /** Every problem found, each naming the item and the reason; empty when the table is good. */
  public static List<String> problems(HostTable t) {
    List<String> p = new ArrayList<>();
    if (t.generation() < 0) {
      p.add("generation " + t.generation() + " is negative");
    }
    if (t.localPa().v6()) {
      p.add("localPa " + t.localPa() + ": only IPv4 provider addresses are supported");
    }
    if (t.overlayMtu() < 576 || t.overlayMtu() > 9000) {
      p.add("overlayMtu " + t.overlayMtu() + " outside 576..9000");
    }
    Map<Integer, UUID> vsidOwner = new HashMap<>();
    Set<UUID> domains = new HashSet<>();
    Set<String> portIds = new HashSet<>();
    Set<Long> localMacs = new HashSet<>();
    for (VmNetworkTable n : t.networks()) {
      String where = "VM network " + n.routingDomainId();
      if (!domains.add(n.routingDomainId())) {
        p.add(where + " appears twice");
      }
      Map<Integer, VmSubnet> subnets = new HashMap<>();
      for (VmSubnet s : n.subnets()) {
        UUID prev = vsidOwner.putIfAbsent(s.vsid(), n.routingDomainId());
        if (prev != null) {
          p.add(where + ": VSID " + s.vsid() + " also used by VM network " + prev);
        }
        subnets.put(s.vsid(), s);
        checkSubnet(where, s, p);
        for (VmSubnet other : n.subnets()) {
          if (other != s
              && other.vsid() < s.vsid()
              && other.prefix().network().v6() == s.prefix().network().v6()
              && (other.prefix().contains(s.prefix().network())
                  || s.prefix().contains(other.prefix().network()))) {
            p.add(where + ": subnets " + other.prefix() + " and " + s.prefix() + " overlap");
          }
        }
      }
      Set<IpAddress> cas = new HashSet<>();
      for (LookupRecord r : n.lookupRecords()) {
        VmSubnet s = subnets.get(r.vsid());
        if (s == null) {
          p.add(where + ": record " + r.ca() + " points at unknown VSID " + r.vsid());
        } else if (!s.prefix().contains(r.ca())) {
          p.add(where + ": record " + r.ca() + " outside subnet " + s.prefix());
        }
        if (!cas.add(r.ca())) {
          p.add(where + ": duplicate CA " + r.ca());
        }
        if (r.pa().v6()) {
          p.add(where + ": record " + r.ca() + " has IPv6 PA " + r.pa() + " (unsupported)");
        }
        if (r.mac().isMulticast()) {
          p.add(where + ": record " + r.ca() + " has multicast MAC " + r.mac());
        }
      }
      for (PortEntry port : n.ports()) {
        if (!portIds.add(port.portId())) {
          p.add(where + ": duplicate port " + port.portId());
        }
        if (!localMacs.add(port.mac().value())) {
          p.add(where + ": port " + port.portId() + " reuses MAC " + port.mac() + " on this host");
        }
        VmSubnet s = subnets.get(port.vsid());
        if (s == null) {
          p.add(where + ": port " + port.portId() + " on unknown subnet VSID " + port.vsid());
          continue;
        }
        if (port.addressing() == AddressingMode.DHCP && s.dhcp() == null) {
          p.add(where + ": DHCP port " + port.portId() + " on subnet without DHCP " + s.prefix());
        }
        for (IpAddress a : port.allowedAddresses()) {
          boolean inSome = false;
          for (VmSubnet any : n.subnets()) {
            inSome |= any.prefix().contains(a);
          }
          if (!inSome && !isLinkLocal(a)) {
            p.add(where + ": port " + port.portId() + " allows " + a + " outside its subnets");
          }
        }
      }
    }
    return p;
  }

  private static void checkSubnet(String where, VmSubnet s, List<String> p) {
    if (!s.prefix().contains(s.gateway())) {
      p.add(where + ": gateway " + s.gateway() + " outside subnet " + s.prefix());
    }
    if (s.prefix().network().v6() && s.dhcp() != null) {
      p.add(where + ": DHCP on IPv6 subnet " + s.prefix() + " (DHCPv4 only)");
    }
    if (s.dhcp() != null) {
      for (AddressRange r : s.dhcp().ranges()) {
        if (!s.prefix().contains(r.first()) || !s.prefix().contains(r.last())) {
          p.add(where + ": DHCP range " + r.first() + "-" + r.last() + " outside " + s.prefix());
        }
        if (r.contains(s.gateway())) {
          p.add(where + ": DHCP range of " + s.prefix() + " contains the gateway");
        }
      }
    }
  }

  static boolean isLinkLocal(IpAddress a) {
    return a.v6() && (a.hi() >>> 54) == 0x3FA;
  }
}
