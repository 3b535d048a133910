package io.weft.diagnostics.audit;

import io.weft.dataplane.table.IpAddress;
import io.weft.dataplane.table.LookupRecord;
import io.weft.dataplane.table.PortEntry;
import io.weft.dataplane.table.TableDelta;
import io.weft.dataplane.table.VmNetworkChange;
import io.weft.dataplane.table.VmSubnet;
import io.weft.diagnostics.HostDrift.EntryDrift;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What a host behind the fabric still has to apply, entry by entry: the delta from its applied
 * generation to the intended one, turned into MISSING, EXTRA and DIFFERENT entries.
 */
final class DriftEntries {

  static final String MISSING = "MISSING";
  static final String EXTRA = "EXTRA";
  static final String DIFFERENT = "DIFFERENT";

  private DriftEntries() {}

  static List<EntryDrift> of(TableDelta delta) {
    List<EntryDrift> out = new ArrayList<>();
    if (delta.settings() != null) {
      out.add(
          new EntryDrift(
              DIFFERENT,
              "host settings",
              null,
              null,
              null,
              null,
              null,
              "intended " + delta.settings()));
    }
    for (var removed : delta.removedNetworks()) {
      out.add(
          new EntryDrift(
              EXTRA,
              "VM network",
              removed.toString(),
              null,
              null,
              null,
              null,
              "no longer has a vNIC on this host"));
    }
    for (VmNetworkChange c : delta.changedNetworks()) {
      records(c, out);
      String network = c.routingDomainId().toString();
      for (VmSubnet s : c.upsertSubnets()) {
        out.add(
            new EntryDrift(
                MISSING, "subnet", network, s.vsid(), null, null, null, s.prefix().toString()));
      }
      for (Integer vsid : c.removedSubnets()) {
        out.add(new EntryDrift(EXTRA, "subnet", network, vsid, null, null, null, "removed"));
      }
      for (PortEntry p : c.upsertPorts()) {
        out.add(
            new EntryDrift(
                MISSING, "port", network, p.vsid(), null, null, null, "vNIC " + p.portId()));
      }
      for (String p : c.removedPorts()) {
        out.add(new EntryDrift(EXTRA, "port", network, null, null, null, null, "vNIC " + p));
      }
    }
    return out;
  }

  private static void records(VmNetworkChange c, List<EntryDrift> out) {
    String network = c.routingDomainId().toString();
    Set<IpAddress> replaced = new HashSet<>(c.removedRecords());
    for (LookupRecord r : c.upsertRecords()) {
      boolean different = replaced.remove(r.ca());
      out.add(
          new EntryDrift(
              different ? DIFFERENT : MISSING,
              "lookup record",
              network,
              r.vsid(),
              r.ca().toString(),
              r.pa().toString(),
              null,
              "CA " + r.ca() + " in VSID " + r.vsid() + " should map to PA " + r.pa()));
    }
    for (IpAddress ca : replaced) {
      out.add(
          new EntryDrift(
              EXTRA,
              "lookup record",
              network,
              null,
              ca.toString(),
              null,
              null,
              "CA " + ca + " is no longer in the VM network"));
    }
  }
}
