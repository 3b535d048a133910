package io.weft.diagnostics.audit;

import io.weft.diagnostics.DriftReport;
import io.weft.diagnostics.HostDrift;
import io.weft.diagnostics.TableDriftAudit;
import io.weft.fabric.AccessDeniedException;
import io.weft.fabric.Caller;
import io.weft.fabric.HostId;
import io.weft.fabric.HostService;
import io.weft.fabric.SecurityAuditLog;
import io.weft.fabric.tables.HostTableService;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Service;

/** {@link TableDriftAudit} for operators; {@link #auditScheduled} is the scheduled job's body. */
@Service
class DriftAuditService implements TableDriftAudit {

  private static final Caller SYSTEM = Caller.system("diagnostics.drift");

  private final HostService hosts;
  private final DriftStore store;
  private final SecurityAuditLog audit;
  private final Clock clock;
  private final HostAuditor auditor;

  DriftAuditService(
      HostService hosts,
      HostTableService tables,
      DriftStore store,
      SecurityAuditLog audit,
      Clock clock,
      @Value("${weft.diagnostics.drift-grace:" + DriftDetectionBudget.DEFAULT_GRACE + "}")
          Duration grace,
      @Value("${weft.diagnostics.agent-silence:90s}") Duration silence) {
    this.hosts = hosts;
    this.store = store;
    this.audit = audit;
    this.clock = clock;
    this.auditor = new HostAuditor(tables, grace, silence);
  }

  @Override
  public DriftReport auditNow(Caller caller) {
    requireOperator(caller, "drift");
    DriftReport report = auditScheduled();
    audit.record(
        caller.username(),
        null,
        "diagnostics.drift",
        "all hosts",
        "OK",
        report.drifting() + " of " + report.hosts().size() + " hosts drifting");
    return report;
  }

  @Override
  public DriftReport auditScheduled() {
    // Millisecond precision: what the database keeps, so a stored audit equals the returned one.
    Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
    Map<HostId, Instant> behind = store.behindSince();
    List<HostDrift> drifts = new ArrayList<>();
    for (var h : hosts.listHosts(SYSTEM)) {
      drifts.add(auditor.audit(h, Optional.ofNullable(behind.get(h.id())), now));
    }
    DriftReport report = new DriftReport(now, drifts);
    store.save(report);
    return report;
  }

  @Override
  public Optional<DriftReport> latest(Caller caller) {
    requireOperator(caller, "drift");
    return store.latest();
  }

  @Override
  public HostDrift auditHost(Caller caller, HostId host) {
    requireOperator(caller, host.toString());
    var h = hosts.getHost(SYSTEM, host);
    HostDrift drift =
        auditor.audit(h, Optional.ofNullable(store.behindSince().get(host)), clock.instant());
    audit.record(
        caller.username(), null, "diagnostics.drift", "host " + h.name(), "OK", drift.summary());
    return drift;
  }

  private void requireOperator(Caller caller, String target) {
    if (!caller.isOperator()) {
      audit.refused(caller, "diagnostics.drift", target, "operators only");
      throw new AccessDeniedException("only operators may audit hosts' tables");
    }
  }
}
