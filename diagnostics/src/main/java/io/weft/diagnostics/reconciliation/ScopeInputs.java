package io.weft.diagnostics.reconciliation;

import java.time.Instant;
import java.util.UUID;

/** The rows one scope's evaluation reads: each side of the reconciliation. */
final class ScopeInputs {

  private ScopeInputs() {}

  /** Intended: an IPAM allocation. */
  record Allocation(UUID poolId, String address, String owner, Instant allocatedAt) {}

  /** Configured: a vNIC of the VM network with its VM's placement. */
  record Vnic(String id, String mac, String address, String addressing, UUID hostId) {}

  /** Observed: an address an agent saw on a port. */
  record Observation(
      UUID hostId,
      String portId,
      String mac,
      String address,
      String kind,
      Instant firstSeenAt,
      Instant lastSeenAt,
      Instant leaseExpiresAt) {

    String describe() {
      return kind
          + " on port "
          + portId
          + (mac == null ? "" : " (" + mac + ")")
          + " of host "
          + hostId
          + ", first "
          + firstSeenAt
          + ", last "
          + lastSeenAt;
    }
  }

  /**
   * Applied: a lookup record a host should have but has not applied, from the table drift audit
   * (hosts behind the fabric for longer than its grace).
   */
  record Unapplied(
      UUID hostId,
      String hostName,
      String ca,
      String expectedPa,
      long appliedGeneration,
      long intendedGeneration,
      Instant behindSince) {

    String describe() {
      return "host "
          + hostName
          + " ("
          + hostId
          + ") has not applied its lookup record (CA "
          + ca
          + " -> PA "
          + expectedPa
          + "): it forwards with generation "
          + appliedGeneration
          + " of "
          + intendedGeneration
          + ", behind since "
          + behindSince;
    }
  }

  /** A host of a logical network: IPAM's PA and what its agent reports. */
  record Host(UUID id, String name, String pa, String reportedPa, Instant reportedAt) {}
}
