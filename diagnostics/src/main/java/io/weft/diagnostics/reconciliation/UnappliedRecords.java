package io.weft.diagnostics.reconciliation;

import io.weft.diagnostics.HostDrift;
import io.weft.diagnostics.HostDrift.EntryDrift;
import io.weft.diagnostics.TableDriftAudit;
import io.weft.diagnostics.reconciliation.ScopeInputs.Unapplied;
import io.weft.fabric.Caller;
import io.weft.ipam.IpAddressValue;
import io.weft.ipam.IpamException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * The applied side of a VM network: which lookup records hosts have not applied, from the table
 * drift audit's latest result (through its public API; it runs every few seconds on its own). Only
 * hosts that count as drifting (behind for longer than the audit's grace) are taken, so a change on
 * its way to a host is not reported as unprogrammed.
 */
@Component
class UnappliedRecords {

  private static final Caller SYSTEM = Caller.system("reconciliation");
  private static final String LOOKUP_RECORD = "lookup record";

  private final TableDriftAudit audit;

  UnappliedRecords(TableDriftAudit audit) {
    this.audit = audit;
  }

  /** VM network id → CA → the hosts missing its record. */
  Map<UUID, Map<String, List<Unapplied>>> byVmNetwork() {
    Map<UUID, Map<String, List<Unapplied>>> out = new HashMap<>();
    audit
        .latest(SYSTEM)
        .ifPresent(report -> {
          for (HostDrift host : report.hosts()) {
            if (host.verdict() == HostDrift.Verdict.BEHIND && host.drifting()) {
              add(host, out);
            }
          }
        });
    return out;
  }

  private static void add(HostDrift host, Map<UUID, Map<String, List<Unapplied>>> out) {
    for (EntryDrift e : host.entries()) {
      if (!LOOKUP_RECORD.equals(e.what())
          || "EXTRA".equals(e.kind())
          || e.vmNetwork() == null
          || e.ca() == null) {
        continue;
      }
      UUID network;
      String ca;
      try {
        network = UUID.fromString(e.vmNetwork());
        ca = IpAddressValue.parse(e.ca()).toString(); // IPAM's spelling, as allocations have it
      } catch (IllegalArgumentException | IpamException unreadable) {
        continue;
      }
      out.computeIfAbsent(network, k -> new HashMap<>())
          .computeIfAbsent(ca, k -> new ArrayList<>())
          .add(
              new Unapplied(
                  host.hostId().value(),
                  host.hostName(),
                  ca,
                  e.expectedPa(),
                  host.appliedGeneration(),
                  host.intendedGeneration(),
                  host.behindSince()));
    }
  }
}
