package io.weft.portal.operations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The alert rules of docs/operations.md pass their own promtool unit tests (each alert fires on the
 * series that should raise it, after its {@code for:}, and not on a healthy cloud), and they only
 * read metrics Weft exports.
 */
class AlertRulesTest {

  private static final Path ALERTS = Path.of("..", "docs", "alerts").toAbsolutePath().normalize();
  private static final Path PROMTOOL = Path.of("/usr/bin/promtool");

  @Test
  void theRulesPassTheirPromtoolTests() throws Exception {
    boolean present = Files.isExecutable(PROMTOOL);
    if (!present) {
      System.out.println("SKIPPED AlertRulesTest: no promtool (Debian package prometheus)");
    }
    assumeTrue(present, "promtool is not installed");
    Process p =
        new ProcessBuilder(PROMTOOL.toString(), "test", "rules", "weft-rules.test.yaml")
            .directory(ALERTS.toFile())
            .redirectErrorStream(true)
            .start();
    String output = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor()).as(output).isZero();
    assertThat(output).contains("SUCCESS");
  }

  @Test
  void theRulesReadOnlyMetricsWeftExports() throws Exception {
    String rules = Files.readString(ALERTS.resolve("weft-rules.yaml"));
    for (String metric :
        new String[] {
          "weft_hosts_silent",
          "weft_hosts_refusing_tables",
          "weft_hosts_behind",
          "weft_tables_generations_behind_max",
          "weft_vsid_pool_used_ratio",
          "weft_login_failures_total"
        }) {
      assertThat(rules).contains(metric);
    }
  }
}
