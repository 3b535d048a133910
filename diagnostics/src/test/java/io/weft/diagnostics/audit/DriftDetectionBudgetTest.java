package io.weft.diagnostics.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The shipped drift schedule and grace name a diverging or lagging host within the 30 s goal, and
 * settings that cannot (an audit every 30 s, a schedule that stops firing) are caught.
 */
class DriftDetectionBudgetTest {

  private static final Duration GRACE = Duration.ofSeconds(10);

  @Test
  void theShippedScheduleNamesADriftingHostWithinThirtySeconds() {
    DriftDetectionBudget shipped =
        DriftDetectionBudget.of(
            DriftDetectionBudget.DEFAULT_SCHEDULE,
            Duration.parse("PT" + DriftDetectionBudget.DEFAULT_GRACE.toUpperCase()));
    assertThat(shipped.meetsGoal()).as(shipped.toString()).isTrue();
    assertThat(shipped.auditInterval()).isEqualTo(Duration.ofSeconds(10));
    assertThat(shipped.diverged()).isEqualTo(Duration.ofSeconds(11));
    assertThat(shipped.behind()).isEqualTo(Duration.ofSeconds(20));
  }

  @Test
  void settingsThatWouldMissTheGoalAreCaught() {
    DriftDetectionBudget slow = DriftDetectionBudget.of("0/30 * * * * ?", GRACE);
    assertThat(slow.meetsGoal()).as(slow.toString()).isFalse();
    assertThat(slow.toString()).contains("a host behind within 40 s");
    // Every 15 s but not on the minute's last quarter: the longest gap is 30 s.
    assertThat(DriftDetectionBudget.of("0,15,30 * * * * ?", GRACE).meetsGoal()).isFalse();
    assertThat(DriftDetectionBudget.of("0 0 0 1 1 ? 2099", GRACE).meetsGoal())
        .as("a schedule that fires once names nothing after it")
        .isFalse();
    assertThat(DriftDetectionBudget.of("0/20 * * * * ?", GRACE).meetsGoal()).isTrue();
  }
}
