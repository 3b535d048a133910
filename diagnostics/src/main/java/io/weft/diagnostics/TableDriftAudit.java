package io.weft.diagnostics;

import io.weft.fabric.Caller;
import io.weft.fabric.HostId;
import java.util.Optional;

/**
 * Intended against applied tables, per host, for operators: on demand, and on a schedule (a Quartz
 * job beside the IPAM reconciliation, so one replica runs each firing) whose latest result every
 * replica serves (and the operator's dashboard shows).
 */
public interface TableDriftAudit {

  /** Audits every host now, records the result as the latest, and returns it. */
  DriftReport auditNow(Caller caller);

  /**
   * The scheduled audit: every host now, recorded as the latest, with no caller and no entry in the
   * security audit log (it runs every few seconds). Only the scheduler calls it.
   */
  DriftReport auditScheduled();

  /** The latest audit (scheduled or on demand); empty before the first. */
  Optional<DriftReport> latest(Caller caller);

  /** One host now, with its differing entries where they are known. */
  HostDrift auditHost(Caller caller, HostId host);
}
