package io.weft.diagnostics.reconciliation;

import io.weft.diagnostics.ClockHealth;
import io.weft.diagnostics.Finding;
import io.weft.diagnostics.FindingQuery;
import io.weft.diagnostics.HostObservations;
import io.weft.diagnostics.ReconciliationRun;
import io.weft.diagnostics.ReconciliationService;
import io.weft.diagnostics.Resolution;
import io.weft.diagnostics.ScheduledJob;
import io.weft.fabric.AccessDeniedException;
import io.weft.fabric.Caller;
import io.weft.fabric.ConflictException;
import io.weft.fabric.HostId;
import io.weft.fabric.InvalidRequestException;
import io.weft.fabric.NotFoundException;
import io.weft.fabric.SecurityAuditLog;
import io.weft.fabric.TenantId;
import io.weft.ipam.IpamException;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.quartz.CronTrigger;
import org.quartz.JobDataMap;
import org.quartz.JobKey;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.Trigger;
import org.quartz.TriggerKey;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/** {@link ReconciliationService} over the recon_* tables and the Quartz scheduler. */
@Service
class JdbcReconciliationService implements ReconciliationService {

  /** The jobs operators see, pause and run now, in the order they are listed. */
  private static final Map<String, String> DESCRIPTIONS = new LinkedHashMap<>();

  static {
    DESCRIPTIONS.put(
        SchedulingConfiguration.RECONCILIATION,
        "IPAM reconciliation: allocated vs configured vs observed");
    DESCRIPTIONS.put(
        SchedulingConfiguration.DRIFT_AUDIT, SchedulingConfiguration.DRIFT_AUDIT_DESCRIPTION);
    DESCRIPTIONS.put(
        SchedulingConfiguration.RETENTION, SchedulingConfiguration.RETENTION_DESCRIPTION);
  }

  private final JdbcClient jdbc;
  private final RunLedger ledger;
  private final JobGuard guard;
  private final Scheduler scheduler;
  private final ObservationStore observations;
  private final AutomaticFixes fixes;
  private final SecurityAuditLog audit;
  private final ClockWatch clockWatch;
  private final FindingReassignment reassign;
  private final Clock clock;

  JdbcReconciliationService(
      JdbcClient jdbc,
      RunLedger ledger,
      JobGuard guard,
      Scheduler scheduler,
      ObservationStore observations,
      AutomaticFixes fixes,
      SecurityAuditLog audit,
      ClockWatch clockWatch,
      FindingReassignment reassign,
      Clock clock) {
    this.jdbc = jdbc;
    this.ledger = ledger;
    this.guard = guard;
    this.scheduler = scheduler;
    this.observations = observations;
    this.fixes = fixes;
    this.audit = audit;
    this.clockWatch = clockWatch;
    this.reassign = reassign;
    this.clock = clock;
  }

  @Override
  public List<ReconciliationRun> runs(Caller caller, int limit) {
    requireOperator(caller);
    if (limit < 1 || limit > 1000) {
      throw new InvalidRequestException("limit must be between 1 and 1000", "limit");
    }
    return ledger.latest(SchedulingConfiguration.RECONCILIATION, limit);
  }

  @Override
  public ReconciliationRun run(Caller caller, UUID runId) {
    requireOperator(caller);
    return ledger.find(runId).orElseThrow(() -> new NotFoundException("no such run", "runId"));
  }

  @Override
  public List<Finding> findings(Caller caller, FindingQuery q) {
    if (q.limit() < 1 || q.limit() > 1000) {
      throw new InvalidRequestException("limit must be between 1 and 1000", "limit");
    }
    if (q.offset() < 0) {
      throw new InvalidRequestException("offset must be 0 or more", "offset");
    }
    if (q.scope() != null && q.scope().length() > 200) {
      throw new InvalidRequestException("scope is at most 200 characters", "scope");
    }
    StringBuilder sql = new StringBuilder("SELECT * FROM recon_finding WHERE 1 = 1");
    List<Object[]> params = new ArrayList<>();
    if (!caller.isOperator()) {
      sql.append(" AND tenant_id = :tenant");
      params.add(new Object[] {"tenant", caller.tenant().orElseThrow().value()});
    }
    if (q.scope() != null) {
      sql.append(" AND scope = :scope");
      params.add(new Object[] {"scope", q.scope()});
    }
    if (q.category() != null) {
      sql.append(" AND category = :category");
      params.add(new Object[] {"category", q.category().name()});
    }
    if (q.state() != null) {
      sql.append(" AND state = :state");
      params.add(new Object[] {"state", q.state().name()});
    }
    sql.append(" ORDER BY last_seen_at DESC, id LIMIT :limit OFFSET :offset");
    var spec = jdbc.sql(sql.toString());
    for (Object[] p : params) {
      spec = spec.param((String) p[0], p[1]);
    }
    return spec.param("limit", q.limit())
        .param("offset", q.offset())
        .query(FindingStore::map)
        .list();
  }

  @Override
  public Finding finding(Caller caller, UUID findingId) {
    Finding f =
        jdbc.sql("SELECT * FROM recon_finding WHERE id = :id")
            .param("id", findingId)
            .query(FindingStore::map)
            .optional()
            .orElseThrow(() -> new NotFoundException("no such finding", "findingId"));
    if (!caller.isOperator()
        && (f.tenantId() == null || !f.tenantId().equals(caller.tenant().orElseThrow().value()))) {
      throw new NotFoundException("no such finding", "findingId");
    }
    return f;
  }

  @Override
  public Finding resolve(Caller caller, UUID findingId, Resolution resolution) {
    Finding f = finding(caller, findingId);
    if (resolution == null || resolution.action() == null || resolution.action().isBlank()) {
      throw new InvalidRequestException(
          "action is required: RELEASE, REASSIGN or IGNORE", "action");
    }
    String action = resolution.action().strip().toUpperCase(Locale.ROOT);
    String reason = resolution.reason() == null ? null : resolution.reason().strip();
    if (reason != null && reason.length() > 500) {
      throw new InvalidRequestException("reason is at most 500 characters", "reason");
    }
    switch (action) {
      case "IGNORE" -> {
        if (reason == null || reason.isEmpty()) {
          throw new InvalidRequestException("ignoring a finding needs a reason", "reason");
        }
        decide(caller, f, "IGNORED", "IGNORE", reason);
      }
      case "RELEASE" -> {
        if (!caller.isOperator()) {
          throw new AccessDeniedException("only operators release addresses", "action");
        }
        release(caller, f);
        decide(caller, f, "RESOLVED", "RELEASE", reason);
      }
      case "REASSIGN" -> {
        if (!caller.isOperator()) {
          throw new AccessDeniedException("only operators re-assign addresses", "action");
        }
        reassign.reassign(caller, f, resolution.vnicId());
        decide(caller, f, "RESOLVED", "REASSIGN", reason);
      }
      default ->
          throw new InvalidRequestException("action must be RELEASE, REASSIGN or IGNORE", "action");
    }
    return finding(caller, findingId);
  }

  /**
   * Releases only what Weft owns and nothing of Weft still uses: an allocation whose owner is gone.
   */
  private void release(Caller caller, Finding f) {
    if (f.state() != io.weft.diagnostics.FindingState.OPEN) {
      throw new ConflictException("only an open finding can be released", "findingId");
    }
    UUID scopeId = UUID.fromString(f.scope().substring(f.scope().indexOf(':') + 1));
    String pools =
        f.scope().startsWith("vm-network:")
            ? "SELECT pool_id FROM fabric_subnet WHERE vm_network_id = :sid"
            : "SELECT pool_id FROM fabric_logical_network WHERE id = :sid";
    Object[] allocation =
        jdbc
            .sql(
                "SELECT a.pool_id, a.owner FROM ipam_allocation a WHERE a.num = :num AND a.pool_id"
                    + " IN ("
                    + pools
                    + ")")
            .param("num", new java.math.BigDecimal(numberOf(f.address())))
            .param("sid", scopeId)
            .query((rs, n) ->
                new Object[] {rs.getObject("pool_id", UUID.class), rs.getString("owner")})
            .list()
            .stream()
            .findFirst()
            .orElseThrow(() ->
                new ConflictException(
                    f.address() + " is allocated by nobody in Weft: reported, never released",
                    "findingId"));
    String owner = (String) allocation[1];
    if (!ownerGone(owner)) {
      throw new ConflictException(
          f.address()
              + " is still allocated to "
              + owner
              + ", which exists: change or delete it"
              + " there",
          "findingId");
    }
    fixes.releaseIfOwnedBy(
        (UUID) allocation[0],
        f.address(),
        owner,
        "reconciliation.release",
        f.scope(),
        f.tenantId(),
        caller.username());
  }

  private boolean ownerGone(String owner) {
    if (owner.startsWith("vnic:")) {
      return count("SELECT count(*) FROM fabric_vnic WHERE id = :id", owner, 5) == 0;
    }
    if (owner.startsWith("host:")) {
      return count("SELECT count(*) FROM fabric_host WHERE id = :id", owner, 5) == 0;
    }
    return false;
  }

  private int count(String sql, String owner, int prefix) {
    UUID id;
    try {
      id = UUID.fromString(owner.substring(prefix));
    } catch (IllegalArgumentException e) {
      return 1; // not an owner this code understands: treat as existing, never release
    }
    return jdbc.sql(sql).param("id", id).query(Integer.class).single();
  }

  private static java.math.BigInteger numberOf(String address) {
    try {
      return io.weft.ipam.IpAddressValue.parse(address).value();
    } catch (IpamException e) {
      throw new ConflictException("the finding's address is not an IP address", "findingId");
    }
  }

  private void decide(Caller caller, Finding f, String state, String action, String reason) {
    jdbc.sql(
            "UPDATE recon_finding SET state = :state, resolution = :action, resolution_reason ="
                + " :reason, resolved_by = :by, resolved_at = :at WHERE id = :id")
        .param("state", state)
        .param("action", action)
        .param("reason", reason)
        .param("by", caller.username())
        .param("at", Timestamp.from(clock.instant()))
        .param("id", f.id())
        .update();
    audit.record(
        caller.username(),
        f.tenantId() == null ? null : new TenantId(f.tenantId()),
        "reconciliation.finding." + action.toLowerCase(Locale.ROOT),
        f.scope() + " " + f.address() + " " + f.category(),
        "OK",
        reason);
  }

  @Override
  public List<ScheduledJob> jobs(Caller caller) {
    requireOperator(caller);
    List<ScheduledJob> jobs = new ArrayList<>();
    for (String name : DESCRIPTIONS.keySet()) {
      jobs.add(view(name));
    }
    return jobs;
  }

  @Override
  public void runNow(Caller caller, String job) {
    requireOperator(caller);
    requireJob(job);
    try {
      JobDataMap data = new JobDataMap();
      data.put(ReconciliationJob.MANUAL, true);
      scheduler.triggerJob(JobKey.jobKey(job, SchedulingConfiguration.GROUP), data);
    } catch (SchedulerException e) {
      throw new IllegalStateException("could not fire " + job, e);
    }
    audit.record(caller.username(), null, "job.run-now", job, "OK", null);
  }

  @Override
  public ScheduledJob setPaused(Caller caller, String job, boolean paused) {
    requireOperator(caller);
    requireJob(job);
    guard.setPaused(job, paused);
    try {
      JobKey key = JobKey.jobKey(job, SchedulingConfiguration.GROUP);
      if (paused) {
        scheduler.pauseJob(key);
      } else {
        scheduler.resumeJob(key);
      }
    } catch (SchedulerException e) {
      throw new IllegalStateException("could not change " + job, e);
    }
    audit.record(caller.username(), null, paused ? "job.pause" : "job.resume", job, "OK", null);
    return view(job);
  }

  @Override
  public ClockHealth clockHealth(Caller caller) {
    requireOperator(caller);
    return clockWatch.health();
  }

  @Override
  public void recordObservations(HostId host, HostObservations report) {
    observations.record(host, report);
  }

  private ScheduledJob view(String name) {
    java.time.Instant next = null;
    String schedule = null;
    try {
      Trigger t = scheduler.getTrigger(TriggerKey.triggerKey(name, SchedulingConfiguration.GROUP));
      if (t instanceof CronTrigger cron) {
        schedule = cron.getCronExpression();
      }
      if (t != null && t.getNextFireTime() != null) {
        next = t.getNextFireTime().toInstant();
      }
    } catch (SchedulerException e) {
      // shown without a next firing
    }
    boolean paused = guard.paused(name);
    return new ScheduledJob(name, schedule, paused, paused ? null : next, DESCRIPTIONS.get(name));
  }

  private void requireJob(String job) {
    if (job == null || !DESCRIPTIONS.containsKey(job)) {
      throw new NotFoundException("no such job", "job");
    }
  }

  private static void requireOperator(Caller caller) {
    if (!caller.isOperator()) {
      throw new AccessDeniedException("operators only");
    }
  }
}
