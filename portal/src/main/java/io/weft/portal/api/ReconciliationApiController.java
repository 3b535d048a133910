package io.weft.portal.api;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.weft.diagnostics.ClockHealth;
import io.weft.diagnostics.Finding;
import io.weft.diagnostics.FindingCategory;
import io.weft.diagnostics.FindingQuery;
import io.weft.diagnostics.FindingState;
import io.weft.diagnostics.ReconciliationRun;
import io.weft.diagnostics.ReconciliationService;
import io.weft.diagnostics.Resolution;
import io.weft.diagnostics.ScheduledJob;
import io.weft.fabric.InvalidRequestException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(
    name = "Reconciliation",
    description =
        "IPAM reconciliation: runs, findings and their resolution, scheduled jobs (tenants see"
            + " the findings of their own VM networks)")
class ReconciliationApiController {

  private final ReconciliationService reconciliation;
  private final CallerResolver callers;

  ReconciliationApiController(ReconciliationService reconciliation, CallerResolver callers) {
    this.reconciliation = reconciliation;
    this.callers = callers;
  }

  @GetMapping("/api/v1/reconciliation/runs")
  @Operation(summary = "Runs, newest first: status, counts, open findings per category")
  List<ReconciliationRun> runs(Authentication auth, @RequestParam(defaultValue = "50") int limit) {
    return reconciliation.runs(callers.resolve(auth), limit);
  }

  @GetMapping("/api/v1/reconciliation/runs/{id}")
  ReconciliationRun run(Authentication auth, @PathVariable String id) {
    return reconciliation.run(callers.resolve(auth), PathIds.uuid(id, "run", "runId"));
  }

  @GetMapping("/api/v1/reconciliation/findings")
  @Operation(summary = "Findings, filtered by scope, category and state")
  List<Finding> findings(
      Authentication auth,
      @RequestParam(required = false) String scope,
      @RequestParam(required = false) String category,
      @RequestParam(required = false) String state,
      @RequestParam(defaultValue = "0") int offset,
      @RequestParam(defaultValue = "100") int limit) {
    return reconciliation.findings(
        callers.resolve(auth),
        new FindingQuery(
            scope == null || scope.isBlank() ? null : scope.strip(),
            parse(FindingCategory.class, category, "category"),
            parse(FindingState.class, state, "state"),
            offset,
            limit));
  }

  @GetMapping("/api/v1/reconciliation/findings/{id}")
  Finding finding(Authentication auth, @PathVariable String id) {
    return reconciliation.finding(callers.resolve(auth), PathIds.uuid(id, "finding", "findingId"));
  }

  @PostMapping("/api/v1/reconciliation/findings/{id}/resolve")
  @Operation(
      summary =
          "Resolve a finding: RELEASE (operators; only an allocation Weft owns whose"
              + " owner is gone) or IGNORE with a reason")
  Finding resolve(Authentication auth, @PathVariable String id, @RequestBody Resolution body) {
    return reconciliation.resolve(
        callers.resolve(auth), PathIds.uuid(id, "finding", "findingId"), body);
  }

  @GetMapping("/api/v1/clock-health")
  @Operation(
      summary =
          "Clock offsets of replicas and hosts against NTP: NOT_CONFIGURED, OK, WARNING (> 500 ms),"
              + " ALERT (> 1 s) or UNREACHABLE")
  ClockHealth clockHealth(Authentication auth) {
    return reconciliation.clockHealth(callers.resolve(auth));
  }

  @GetMapping("/api/v1/jobs")
  @Operation(summary = "Scheduled jobs: schedule, next firing, paused")
  List<ScheduledJob> jobs(Authentication auth) {
    return reconciliation.jobs(callers.resolve(auth));
  }

  @PostMapping("/api/v1/jobs/{name}/run")
  @ResponseStatus(HttpStatus.ACCEPTED)
  @Operation(summary = "Fire the job now, on whichever replica picks it up")
  void runNow(Authentication auth, @PathVariable String name) {
    reconciliation.runNow(callers.resolve(auth), name);
  }

  @PostMapping("/api/v1/jobs/{name}/pause")
  ScheduledJob pause(Authentication auth, @PathVariable String name) {
    return reconciliation.setPaused(callers.resolve(auth), name, true);
  }

  @PostMapping("/api/v1/jobs/{name}/resume")
  ScheduledJob resume(Authentication auth, @PathVariable String name) {
    return reconciliation.setPaused(callers.resolve(auth), name, false);
  }

  private static <E extends Enum<E>> E parse(Class<E> type, String text, String field) {
    if (text == null || text.isBlank()) {
      return null;
    }
    try {
      return Enum.valueOf(type, text.strip().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new InvalidRequestException(
          field + " must be one of " + Arrays.toString(type.getEnumConstants()), field);
    }
  }
}
