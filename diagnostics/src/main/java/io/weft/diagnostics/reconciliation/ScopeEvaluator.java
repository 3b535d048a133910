package io.weft.diagnostics.reconciliation;

import io.weft.diagnostics.FindingCategory;
import io.weft.diagnostics.reconciliation.Drift.ReclaimLease;
import io.weft.diagnostics.reconciliation.Drift.ReleaseAllocation;
import io.weft.diagnostics.reconciliation.ScopeInputs.Allocation;
import io.weft.diagnostics.reconciliation.ScopeInputs.Host;
import io.weft.diagnostics.reconciliation.ScopeInputs.Observation;
import io.weft.diagnostics.reconciliation.ScopeInputs.Unapplied;
import io.weft.diagnostics.reconciliation.ScopeInputs.Vnic;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The three-way comparison of one scope, as a pure function of its rows: no database, no clock of
 * its own, so every rule is tested directly.
 */
final class ScopeEvaluator {

  private static final String VNIC_OWNER = "vnic:";
  private static final String HOST_OWNER = "host:";

  private final Duration gracePeriod;
  private final Duration freshness;

  /**
   * @param gracePeriod how long an allocation may go unconfigured and unseen
   * @param freshness sightings older than this no longer make an address unknown, mismatched or
   *     duplicate (a deleted VM's port is not reported again, its last sightings stay behind)
   */
  ScopeEvaluator(Duration gracePeriod, Duration freshness) {
    this.gracePeriod = gracePeriod;
    this.freshness = freshness;
  }

  /** A VM network's CA space: its subnets' allocations, its vNICs and what agents saw. */
  List<Drift> vmNetwork(
      List<Allocation> allocations, List<Vnic> vnics, List<Observation> observations, Instant now) {
    return vmNetwork(allocations, vnics, observations, Map.of(), now);
  }

  /**
   * As above, with the lookup records hosts have not applied, by CA: an allocated, configured
   * address among them is unprogrammed.
   */
  List<Drift> vmNetwork(
      List<Allocation> allocations,
      List<Vnic> vnics,
      List<Observation> observations,
      Map<String, List<Unapplied>> unapplied,
      Instant now) {
    Instant recent = now.minus(gracePeriod);
    Map<String, Allocation> allocated = new HashMap<>();
    allocations.forEach(a -> allocated.put(a.address(), a));
    Map<String, Vnic> vnicById = new HashMap<>();
    Map<String, List<Vnic>> configured = new TreeMap<>();
    for (Vnic v : vnics) {
      vnicById.put(v.id(), v);
      if (v.address() != null) {
        configured.computeIfAbsent(v.address(), k -> new ArrayList<>()).add(v);
      }
    }
    Map<String, List<Observation>> seen = new TreeMap<>();
    for (Observation o : observations) {
      if (!"RELEASED".equals(o.kind())) {
        seen.computeIfAbsent(o.address(), k -> new ArrayList<>()).add(o);
      }
    }
    List<Drift> drifts = new ArrayList<>();
    for (Allocation a : allocations) {
      if (a.owner().startsWith(VNIC_OWNER)) {
        allocatedToVnic(
            a, vnicById, seen.getOrDefault(a.address(), List.of()), recent, now, drifts);
        unprogrammed(a, vnicById, unapplied.getOrDefault(a.address(), List.of()), drifts);
      }
    }
    Instant fresh = now.minus(freshness);
    for (Map.Entry<String, List<Observation>> e : seen.entrySet()) {
      List<Observation> current =
          e.getValue().stream().filter(o -> !o.lastSeenAt().isBefore(fresh)).toList();
      if (!current.isEmpty()) {
        observedAddress(e.getKey(), current, allocated.get(e.getKey()), configured, drifts);
      }
    }
    for (Map.Entry<String, List<Vnic>> e : configured.entrySet()) {
      if (e.getValue().size() > 1) {
        String vnicList =
            e.getValue().stream()
                .map(v -> v.id() + " (" + v.mac() + ")")
                .sorted()
                .collect(Collectors.joining(", "));
        drifts.add(
            new Drift(
                e.getKey(),
                FindingCategory.DUPLICATE,
                "configured on " + e.getValue().size() + " vNICs: " + vnicList,
                "configured:" + vnicList,
                null));
      }
    }
    return merge(drifts);
  }

  private void allocatedToVnic(
      Allocation a,
      Map<String, Vnic> vnicById,
      List<Observation> seen,
      Instant recent,
      Instant now,
      List<Drift> drifts) {
    String vnicId = a.owner().substring(VNIC_OWNER.length());
    Vnic vnic = vnicById.get(vnicId);
    List<Observation> recentlySeen =
        seen.stream().filter(o -> !o.lastSeenAt().isBefore(recent)).toList();
    if (vnic == null) {
      String evidence =
          "allocated to vNIC "
              + vnicId
              + " since "
              + a.allocatedAt()
              + "; that vNIC no longer"
              + " exists (its VM was deleted)";
      if (recentlySeen.isEmpty()) {
        drifts.add(
            new Drift(
                a.address(),
                FindingCategory.RECLAIMABLE,
                evidence,
                "owner-gone:" + a.owner(),
                new ReleaseAllocation(a.poolId(), a.address(), a.owner())));
      } else {
        drifts.add(
            new Drift(
                a.address(),
                FindingCategory.RECLAIMABLE,
                evidence + "; still seen in use, so not released: " + describe(recentlySeen),
                "owner-gone-in-use:" + a.owner() + ":" + ports(recentlySeen),
                null));
      }
      return;
    }
    if (!a.address().equals(vnic.address())) {
      drifts.add(
          new Drift(
              a.address(),
              FindingCategory.RECLAIMABLE,
              "allocated to vNIC "
                  + vnicId
                  + " ("
                  + vnic.mac()
                  + "), which is configured with "
                  + (vnic.address() == null ? "no address" : vnic.address()),
              "not-configured:" + a.owner() + ":" + vnic.address(),
              null));
      return;
    }
    if (vnic.hostId() == null && a.allocatedAt().isBefore(recent) && recentlySeen.isEmpty()) {
      drifts.add(
          new Drift(
              a.address(),
              FindingCategory.RECLAIMABLE,
              "allocated to vNIC "
                  + vnicId
                  + " since "
                  + a.allocatedAt()
                  + "; its VM is on no"
                  + " host and nothing was seen for "
                  + gracePeriod,
              "idle:" + a.owner(),
              null));
      return;
    }
    if ("DHCP".equals(vnic.addressing())) {
      staleLease(a, vnic, seen, now, drifts);
    }
  }

  private static void unprogrammed(
      Allocation a, Map<String, Vnic> vnicById, List<Unapplied> missing, List<Drift> drifts) {
    Vnic vnic = vnicById.get(a.owner().substring(VNIC_OWNER.length()));
    if (missing.isEmpty() || vnic == null || !a.address().equals(vnic.address())) {
      return;
    }
    List<Unapplied> sorted =
        missing.stream().sorted(java.util.Comparator.comparing(Unapplied::hostName)).toList();
    drifts.add(
        new Drift(
            a.address(),
            FindingCategory.UNPROGRAMMED,
            "allocated to and configured on vNIC "
                + vnic.id()
                + " ("
                + vnic.mac()
                + "), but "
                + sorted.stream().map(Unapplied::describe).collect(Collectors.joining("; "))
                + ": check the host's agent (restart it for a fresh snapshot)",
            "unprogrammed:"
                + sorted.stream()
                    .map(u -> u.hostId() + "->" + u.expectedPa())
                    .collect(Collectors.joining(",")),
            null));
  }

  private static void staleLease(
      Allocation a, Vnic vnic, List<Observation> seen, Instant now, List<Drift> drifts) {
    Instant expiry = null;
    for (Observation o : seen) {
      if ("LEASE".equals(o.kind()) && vnic.id().equals(o.portId()) && o.leaseExpiresAt() != null) {
        expiry = expiry == null || o.leaseExpiresAt().isAfter(expiry) ? o.leaseExpiresAt() : expiry;
      }
    }
    if (expiry == null || expiry.isAfter(now)) {
      return;
    }
    Instant expired = expiry;
    List<Observation> usedSince =
        seen.stream()
            .filter(o -> !"LEASE".equals(o.kind()) && o.lastSeenAt().isAfter(expired))
            .toList();
    String evidence =
        "DHCP lease of vNIC "
            + vnic.id()
            + " ("
            + vnic.mac()
            + ") expired at "
            + expiry
            + " and was not renewed, but the address is still configured";
    drifts.add(
        new Drift(
            a.address(),
            FindingCategory.STALE_LEASE,
            usedSince.isEmpty()
                ? evidence
                : evidence + "; still seen in use since, so not reclaimed: " + describe(usedSince),
            "stale:" + a.owner() + ":" + expiry + ":" + !usedSince.isEmpty(),
            usedSince.isEmpty() ? new ReclaimLease(vnic.id(), a.address()) : null));
  }

  private static void observedAddress(
      String address,
      List<Observation> seen,
      Allocation allocation,
      Map<String, List<Vnic>> configured,
      List<Drift> drifts) {
    TreeSet<String> ports = new TreeSet<>();
    seen.forEach(o -> ports.add(o.portId()));
    if (allocation == null) {
      if (!configured.containsKey(address)) {
        drifts.add(
            new Drift(
                address,
                FindingCategory.UNKNOWN,
                "seen but allocated to nobody in this VM network: " + describe(seen),
                "unknown:" + ports,
                null));
      }
    } else {
      String owner = allocation.owner();
      List<Observation> elsewhere =
          seen.stream().filter(o -> !owner.equals(VNIC_OWNER + o.portId())).toList();
      if (!elsewhere.isEmpty()) {
        drifts.add(
            new Drift(
                address,
                FindingCategory.MISMATCHED,
                "allocated to " + owner + ", seen elsewhere: " + describe(elsewhere),
                "mismatched:" + owner + ":" + ports(elsewhere),
                null));
      }
    }
    if (ports.size() > 1) {
      drifts.add(
          new Drift(
              address,
              FindingCategory.DUPLICATE,
              "seen on " + ports.size() + " vNICs: " + describe(seen),
              "seen:" + ports,
              null));
    }
  }

  /** A logical network's PA space: its allocations and hosts (with what their agents report). */
  List<Drift> logicalNetwork(List<Allocation> allocations, List<Host> hosts) {
    Map<String, Host> hostById = new HashMap<>();
    hosts.forEach(h -> hostById.put(h.id().toString(), h));
    List<Drift> drifts = new ArrayList<>();
    for (Allocation a : allocations) {
      if (a.owner().startsWith(HOST_OWNER)
          && !hostById.containsKey(a.owner().substring(HOST_OWNER.length()))) {
        drifts.add(
            new Drift(
                a.address(),
                FindingCategory.RECLAIMABLE,
                "allocated to "
                    + a.owner()
                    + " since "
                    + a.allocatedAt()
                    + "; that host is no longer registered",
                "owner-gone:" + a.owner(),
                null));
      }
    }
    for (Host h : hosts) {
      if (h.reportedPa() != null && !h.reportedPa().equals(h.pa())) {
        drifts.add(
            new Drift(
                h.pa(),
                FindingCategory.PA_DRIFT,
                "IPAM gave host "
                    + h.name()
                    + " ("
                    + h.id()
                    + ") the PA "
                    + h.pa()
                    + "; its agent reports "
                    + h.reportedPa()
                    + " (at "
                    + h.reportedAt()
                    + ")",
                "pa:" + h.id() + ":" + h.reportedPa(),
                null));
      }
    }
    return merge(drifts);
  }

  /** One drift per (address, category): the identity of a finding. */
  private static List<Drift> merge(List<Drift> drifts) {
    Map<String, Drift> byIdentity = new LinkedHashMap<>();
    for (Drift d : drifts) {
      byIdentity.merge(
          d.address() + "|" + d.category(),
          d,
          (x, y) ->
              new Drift(
                  x.address(),
                  x.category(),
                  x.evidence() + "; " + y.evidence(),
                  x.evidenceKey() + ";" + y.evidenceKey(),
                  x.fix() != null && y.fix() != null ? x.fix() : null));
    }
    return List.copyOf(byIdentity.values());
  }

  private static String describe(List<Observation> seen) {
    return seen.stream().map(Observation::describe).collect(Collectors.joining("; "));
  }

  private static String ports(List<Observation> seen) {
    return seen.stream().map(Observation::portId).sorted().distinct().toList().toString();
  }
}
