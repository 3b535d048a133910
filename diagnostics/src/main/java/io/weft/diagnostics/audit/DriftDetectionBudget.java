package io.weft.diagnostics.audit;

import java.text.ParseException;
import java.time.Duration;
import java.util.Date;
import org.quartz.CronExpression;

/**
 * How long a drifting host can go unnoticed with the audit's settings, against the goal of 30 s
 * (issue 12). A host that diverges (other entries at the fabric's generation) is named by the first
 * audit after its agent's report, and agents report their digests right after every table they
 * apply and at start, not on their 30 s heartbeat: {@code report delay + audit interval}. A host
 * behind the fabric is known to the fabric itself and is named once it has been behind for the
 * grace: {@code grace + audit interval}.
 *
 * @param auditInterval the longest gap between two firings of {@code
 *     weft.diagnostics.drift-schedule}
 * @param grace {@code weft.diagnostics.drift-grace}
 * @param agentReportDelay from an agent applying a table to its report reaching the fabric
 */
public record DriftDetectionBudget(
    Duration auditInterval, Duration grace, Duration agentReportDelay) {

  public static final Duration GOAL = Duration.ofSeconds(30);

  /** The shipped default schedule (Quartz cron: every 10 s), as the {@code @Value} names it. */
  public static final String DEFAULT_SCHEDULE = "0/10 * * * * ?";

  /** The shipped default grace, as the {@code @Value} annotations name it. */
  public static final String DEFAULT_GRACE = "10s";

  /**
   * An agent posts its status as soon as it applied a table; one second covers the round trip with
   * room to spare (the lab measured the whole path, report and audit: docs/benchmarks.md).
   */
  static final Duration AGENT_REPORT_DELAY = Duration.ofSeconds(1);

  /** Firings looked at to find the longest gap of a cron schedule (a day of 10 s firings). */
  private static final int FIRINGS = 10_000;

  /** The budget of a cron schedule (Quartz syntax); one that stops firing never names a host. */
  public static DriftDetectionBudget of(String cron, Duration grace) {
    CronExpression expression;
    try {
      expression = new CronExpression(cron);
    } catch (ParseException e) {
      throw new IllegalArgumentException("weft.diagnostics.drift-schedule: " + e.getMessage(), e);
    }
    Date at = expression.getNextValidTimeAfter(new Date(0));
    long longest = 0;
    for (int i = 0; i < FIRINGS && at != null; i++) {
      Date next = expression.getNextValidTimeAfter(at);
      if (next == null) {
        longest = Long.MAX_VALUE / 2;
        break;
      }
      longest = Math.max(longest, next.getTime() - at.getTime());
      at = next;
    }
    if (at == null) {
      longest = Long.MAX_VALUE / 2;
    }
    return new DriftDetectionBudget(Duration.ofMillis(longest), grace, AGENT_REPORT_DELAY);
  }

  /** The longest a diverging host goes unnamed. */
  public Duration diverged() {
    return agentReportDelay.plus(auditInterval);
  }

  /** The longest a host behind the fabric goes unnamed. */
  public Duration behind() {
    return grace.plus(auditInterval);
  }

  public boolean meetsGoal() {
    return diverged().compareTo(GOAL) <= 0 && behind().compareTo(GOAL) <= 0;
  }

  @Override
  public String toString() {
    return "a diverging host is named within "
        + diverged().toSeconds()
        + " s of its report, a host behind within "
        + behind().toSeconds()
        + " s (audit at most every "
        + auditInterval.toSeconds()
        + " s, grace "
        + grace.toSeconds()
        + " s; goal "
        + GOAL.toSeconds()
        + " s)";
  }
}
