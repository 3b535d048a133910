package io.weft.dataplane.agent;

import io.weft.dataplane.table.IpAddress;
import java.io.IOException;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks that the host's PA (the table's {@code localPa}) is configured on the underlay interface
 * the operator named, and adds it when told to ({@code --configure-pa}). A PA the interface does
 * not carry would send encapsulated traffic from an address no peer can answer, so the agent
 * refuses to forward on it and reports what the interface actually has.
 */
final class UnderlayGuard {

  private static final Logger LOG = LoggerFactory.getLogger(UnderlayGuard.class);

  private final String interfaceName;
  private final boolean configure;
  private final UnderlayAddresses addresses;

  UnderlayGuard(String interfaceName, boolean configure, UnderlayAddresses addresses) {
    this.interfaceName = interfaceName;
    this.configure = configure;
    this.addresses = addresses;
  }

  AgentStatus.Underlay check(IpAddress pa) {
    List<String> have;
    try {
      have = addresses.of(interfaceName);
    } catch (IOException e) {
      return new AgentStatus.Underlay(
          interfaceName, pa.toString(), List.of(), false, e.getMessage());
    }
    if (carries(have, pa)) {
      return new AgentStatus.Underlay(interfaceName, pa.toString(), have, true, null);
    }
    if (configure) {
      String cidr = pa + "/" + prefixLengthFor(have, pa);
      try {
        addresses.add(interfaceName, cidr);
        have = addresses.of(interfaceName);
        LOG.info("added the PA {} to {} (--configure-pa)", cidr, interfaceName);
        if (carries(have, pa)) {
          return new AgentStatus.Underlay(interfaceName, pa.toString(), have, true, null);
        }
      } catch (IOException e) {
        return new AgentStatus.Underlay(
            interfaceName,
            pa.toString(),
            have,
            false,
            "could not add the PA " + cidr + " to " + interfaceName + ": " + e.getMessage());
      }
    }
    return new AgentStatus.Underlay(
        interfaceName,
        pa.toString(),
        have,
        false,
        "the PA "
            + pa
            + " is not configured on "
            + interfaceName
            + " (it has "
            + (have.isEmpty() ? "no addresses" : String.join(", ", have))
            + "); not forwarding on it"
            + (configure ? "" : " (--configure-pa adds it)"));
  }

  private static boolean carries(List<String> have, IpAddress pa) {
    for (String a : have) {
      if (a.substring(0, a.indexOf('/')).equals(pa.toString())) {
        return true;
      }
    }
    return false;
  }

  /** The prefix length of an IPv4 address on the interface whose subnet holds the PA, else 32. */
  static int prefixLengthFor(List<String> have, IpAddress pa) {
    for (String a : have) {
      int slash = a.indexOf('/');
      if (a.contains(":")) {
        continue;
      }
      int length = Integer.parseInt(a.substring(slash + 1));
      int mask = length == 0 ? 0 : -1 << (32 - length);
      if ((IpAddress.parse(a.substring(0, slash)).v4Bits() & mask) == (pa.v4Bits() & mask)) {
        return length;
      }
    }
    return 32;
  }
}
