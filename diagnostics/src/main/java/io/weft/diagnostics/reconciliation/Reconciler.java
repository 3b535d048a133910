package io.weft.diagnostics.reconciliation;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.weft.diagnostics.FindingCategory;
import io.weft.diagnostics.reconciliation.ScopeInputs.Allocation;
import io.weft.diagnostics.reconciliation.ScopeInputs.Host;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * One reconciliation run: streams every VM network's allocations, vNICs and observations side by
 * side ({@link ScopeStream}, never loading them all), evaluates each scope, fixes what policy
 * allows (bounded per run), records findings, then closes what no scope saw again.
 */
@Component
class Reconciler {

  private static final Logger log = LoggerFactory.getLogger(Reconciler.class);

  /**
   * Findings are written this many scopes (or drifts) at a time, in one transaction each: large
   * enough that commits stop mattering, small enough that a batch's lookup stays one short query.
   */
  private static final int WRITE_SCOPES = 500;

  private static final int WRITE_DRIFTS = 2000;

  private final DataSource dataSource;
  private final ScopeReader reader;
  private final ObservationStore observations;
  private final FindingStore findings;
  private final AutomaticFixes fixes;
  private final RunLedger ledger;
  private final GuardedRuns runs;
  private final UnappliedRecords unapplied;
  private final ReconciliationProperties props;
  private final Clock clock;
  private final Timer duration;
  private final Counter fixedCounter;
  private final Map<FindingCategory, AtomicInteger> openGauges =
      new EnumMap<>(FindingCategory.class);

  Reconciler(
      DataSource dataSource,
      ScopeReader reader,
      ObservationStore observations,
      FindingStore findings,
      AutomaticFixes fixes,
      RunLedger ledger,
      GuardedRuns runs,
      UnappliedRecords unapplied,
      ReconciliationProperties props,
      Clock clock,
      ObjectProvider<MeterRegistry> registry) {
    MeterRegistry meters = registry.getIfAvailable(SimpleMeterRegistry::new);
    this.dataSource = dataSource;
    this.reader = reader;
    this.observations = observations;
    this.findings = findings;
    this.fixes = fixes;
    this.ledger = ledger;
    this.runs = runs;
    this.unapplied = unapplied;
    this.props = props;
    this.clock = clock;
    this.duration =
        Timer.builder("weft.reconciliation.duration")
            .description("How long an IPAM reconciliation run took")
            .register(meters);
    this.fixedCounter =
        Counter.builder("weft.reconciliation.fixed")
            .description("Drifts fixed automatically by reconciliation runs")
            .register(meters);
    for (FindingCategory c : FindingCategory.values()) {
      AtomicInteger value = new AtomicInteger();
      openGauges.put(c, value);
      meters.gauge(
          "weft.reconciliation.findings.open",
          io.micrometer.core.instrument.Tags.of("category", c.name()),
          value);
    }
  }

  /**
   * Runs once under the job's guard; answers the run's id, or empty when another live run holds the
   * guard (or the job is paused and this is a scheduled firing).
   */
  Optional<UUID> runGuarded(String trigger, Instant scheduledFireAt) {
    String job = SchedulingConfiguration.RECONCILIATION;
    Optional<UUID> begun = runs.begin(job, trigger);
    if (begun.isEmpty()) {
      return Optional.empty();
    }
    UUID runId = begun.get();
    String node = ReplicaName.current();
    Instant started = clock.instant();
    ledger.started(runId, job, trigger, scheduledFireAt, node, props.dryRun(), started);
    long t0 = System.nanoTime();
    try {
      RunLedger.Totals totals = sweep(runId, job);
      ledger.succeeded(runId, totals, clock.instant());
      totals.openByCategory().forEach((c, n) -> openGauges.get(c).set(n));
      fixedCounter.increment(totals.fixed());
      log.info(
          "Reconciliation {}: {} scopes, {} allocations, {} open findings ({} new, {} closed), {}"
              + " fixed",
          runId,
          totals.scopes(),
          totals.allocations(),
          totals.open(),
          totals.created(),
          totals.closed(),
          totals.fixed());
    } catch (RuntimeException | SQLException e) {
      log.error("Reconciliation run {} failed", runId, e);
      ledger.failed(runId, String.valueOf(e.getMessage()), clock.instant());
    } finally {
      duration.record(Duration.ofNanos(System.nanoTime() - t0));
      runs.end(job, runId);
    }
    return Optional.of(runId);
  }

  private RunLedger.Totals sweep(UUID runId, String job) throws SQLException {
    Instant now = clock.instant();
    ScopeEvaluator evaluator =
        new ScopeEvaluator(props.gracePeriod(), props.observationFreshness());
    observations.prune(now.minus(props.observationRetention()));
    Sweep s = new Sweep(runId, job, now, unapplied.byVmNetwork(), new FixBudget(props));
    try (ScopeStream scopes = new ScopeStream(dataSource)) {
      for (var scope = scopes.next(); scope.isPresent(); scope = scopes.next()) {
        vmNetwork(s, evaluator, scope.get());
      }
    }
    for (UUID network : reader.logicalNetworks()) {
      List<Allocation> allocations = reader.providerAllocations(network);
      List<Host> hosts = reader.hosts(network);
      s.allocations += allocations.size();
      record(s, "logical-network:" + network, null, evaluator.logicalNetwork(allocations, hosts));
    }
    writeFindings(s);
    log.info(
        "Reconciliation {}: {} ms writing findings, {} ms fixing, the rest reading and comparing",
        runId,
        s.findingNanos / 1_000_000,
        s.fixNanos / 1_000_000);
    int closed = findings.closeUnseen(runId, clock.instant());
    Map<FindingCategory, Integer> open = findings.openByCategory();
    int openTotal = open.values().stream().mapToInt(Integer::intValue).sum();
    return new RunLedger.Totals(
        s.scopes, s.allocations, s.observations, openTotal, s.created, closed, s.fixed, open);
  }

  private void vmNetwork(Sweep s, ScopeEvaluator evaluator, ScopeStream.Scope scope) {
    s.allocations += scope.allocations().size();
    s.observations += scope.observations().size();
    List<Drift> drifts =
        evaluator.vmNetwork(
            scope.allocations(),
            scope.vnics(),
            scope.observations(),
            s.unapplied.getOrDefault(scope.vmNetwork(), Map.of()),
            s.now);
    record(s, "vm-network:" + scope.vmNetwork(), scope.tenant(), drifts);
  }

  private void record(Sweep s, String scope, UUID tenant, List<Drift> drifts) {
    s.scopes++;
    List<Drift> toFix =
        props.dryRun()
            ? List.of()
            : drifts.stream()
                .filter(
                    d -> d.fix() != null && s.budget.enabled(d.fix()) && s.budget.allows(d.fix()))
                .toList();
    if (!toFix.isEmpty()) {
      // Written down as FIXED before the fix, so a replica killed right after a fix never leaves
      // it without its record (the next run no longer sees that drift); a fix that does not
      // happen is rewritten below, and one cut short by a kill is seen again and reopened.
      s.pending.add(new FindingStore.ScopeDrifts(scope, tenant, toFix, Set.copyOf(toFix)));
      writeFindings(s);
    }
    Set<Drift> fixed = new HashSet<>();
    List<Drift> stored = new ArrayList<>(drifts.size());
    for (Drift d : drifts) {
      if (d.fix() != null && s.budget.enabled(d.fix())) {
        if (props.dryRun()) {
          d = withNote(d, "dry run: a run would " + FixBudget.verb(d.fix()) + " it");
        } else if (!s.budget.allows(d.fix())) {
          d = withNote(d, "left for a later run: " + s.budget.spent(d.fix()));
        } else {
          long t0 = System.nanoTime();
          boolean done = fixes.apply(d, scope, tenant);
          long spent = System.nanoTime() - t0;
          s.budget.used(d.fix(), spent);
          s.fixNanos += spent;
          if (done) {
            s.fixed++;
            fixed.add(d);
          }
        }
      }
      stored.add(d);
    }
    s.pending.add(new FindingStore.ScopeDrifts(scope, tenant, stored, fixed));
    s.pendingDrifts += stored.size();
    if (!toFix.isEmpty() || s.pending.size() >= WRITE_SCOPES || s.pendingDrifts >= WRITE_DRIFTS) {
      writeFindings(s);
    }
    s.beat();
  }

  private void writeFindings(Sweep s) {
    long t0 = System.nanoTime();
    s.created += findings.apply(s.pending, s.runId, s.now);
    s.findingNanos += System.nanoTime() - t0;
    s.pending.clear();
    s.pendingDrifts = 0;
  }

  private static Drift withNote(Drift d, String note) {
    return new Drift(
        d.address(), d.category(), d.evidence() + " (" + note + ")", d.evidenceKey(), null);
  }

  /** The running tallies of one run, and its heartbeat. */
  private final class Sweep {
    final UUID runId;
    final String job;
    final Instant now;
    final Map<UUID, Map<String, List<ScopeInputs.Unapplied>>> unapplied;
    final FixBudget budget;
    int scopes;
    long allocations;
    long observations;
    int created;
    int fixed;
    long fixNanos;
    long findingNanos;
    final List<FindingStore.ScopeDrifts> pending = new ArrayList<>();
    int pendingDrifts;
    long lastBeat = System.nanoTime();

    Sweep(
        UUID runId,
        String job,
        Instant now,
        Map<UUID, Map<String, List<ScopeInputs.Unapplied>>> unapplied,
        FixBudget budget) {
      this.runId = runId;
      this.job = job;
      this.now = now;
      this.unapplied = unapplied;
      this.budget = budget;
    }

    void beat() {
      long t = System.nanoTime();
      if (t - lastBeat > 1_000_000_000L) {
        lastBeat = t;
        if (!runs.heartbeat(job, runId)) {
          throw new IllegalStateException("the job guard was taken over; this run stops");
        }
      }
    }
  }
}
