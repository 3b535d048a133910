package io.weft.diagnostics;

import io.weft.fabric.Caller;
import io.weft.fabric.HostId;
import java.util.Optional;

/**
 * Intended against applied tables, per host, for operators: on demand, and on a schedule whose
 * latest result every replica serves (and the operator's dashboard shows).
 */
public interface TableDriftAudit {

  /** Audits every host now, records the result as the latest, and returns it. */
  DriftReport auditNow(Caller caller);

  /** The latest audit (scheduled or on demand); empty before the first. */
  Optional<DriftReport> latest(Caller caller);

  /** One host now, with its differing entries where they are known. */
  HostDrift auditHost(Caller caller, HostId host);
}
