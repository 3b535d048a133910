package io.weft.diagnostics.retention;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code weft.diagnostics.retention.*}: how long diagnostics rows are kept, and how much one pass
 * deletes. Drop records and captures keep their own settings ({@code
 * weft.diagnostics.drop-retention}, {@code weft.diagnostics.capture.retention-hours}); the job's
 * schedule is {@code weft.diagnostics.retention.schedule}.
 *
 * @param probes live probes, the one answer's checks and their agent commands
 * @param commands every other agent command (entries reports, captures' commands)
 * @param runHistory finished runs of every scheduled job (the drift audit adds one every 10 s)
 * @param auditLog entries of the security audit log ({@code /api/v1/audit})
 * @param closedFindings reconciliation findings CLOSED (their drift gone) this long ago
 * @param batchSize rows per DELETE: each batch is its own short transaction
 * @param runBudget a pass stops starting batches after this long; the rest is the next pass's
 */
@ConfigurationProperties("weft.diagnostics.retention")
record RetentionProperties(
    @DefaultValue("24h") Duration probes,
    @DefaultValue("1h") Duration commands,
    @DefaultValue("7d") Duration runHistory,
    @DefaultValue("90d") Duration auditLog,
    @DefaultValue("30d") Duration closedFindings,
    @DefaultValue("1000") int batchSize,
    @DefaultValue("20s") Duration runBudget) {

  /** Far above the longest probe (10 s) or capture (60 s), so nothing under way is ever due. */
  static final Duration SHORTEST = Duration.ofMinutes(5);

  RetentionProperties {
    atLeast("probes", probes);
    atLeast("commands", commands);
    atLeast("run-history", runHistory);
    atLeast("audit-log", auditLog);
    atLeast("closed-findings", closedFindings);
    if (batchSize < 1 || batchSize > 100_000) {
      throw new IllegalArgumentException(
          "weft.diagnostics.retention.batch-size must be between 1 and 100000, not " + batchSize);
    }
    if (runBudget == null || runBudget.isNegative()) {
      throw new IllegalArgumentException("weft.diagnostics.retention.run-budget must be 0 or more");
    }
  }

  private static void atLeast(String name, Duration d) {
    if (d == null || d.compareTo(SHORTEST) < 0) {
      throw new IllegalArgumentException(
          "weft.diagnostics.retention." + name + " must be at least " + SHORTEST + ", not " + d);
    }
  }
}
