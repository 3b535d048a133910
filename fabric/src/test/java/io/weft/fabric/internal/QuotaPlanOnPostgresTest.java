package io.weft.fabric.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.weft.fabric.FabricTestApplication;
import io.weft.testkit.PostgresClassDatabase;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Every VM create counts what its tenant uses against the quotas; each count must read only that
 * tenant's rows. The vNIC count had no index: at 1,000,000 vNICs it read them all, 370 ms a create
 * and a third of a core during the scale bench's changes. Sequential scans are priced out here, so
 * a plan that still has one has no index to use.
 */
@SpringBootTest(classes = FabricTestApplication.class)
class QuotaPlanOnPostgresTest {

  @RegisterExtension static final PostgresClassDatabase db = new PostgresClassDatabase();

  @DynamicPropertySource
  static void postgres(DynamicPropertyRegistry registry) {
    db.addDataSource(registry::add);
  }

  @Autowired JdbcTemplate jdbc;

  @Test
  void aTenantsUsageIsCountedFromItsOwnRowsThroughIndexes() {
    String sql = QuotaGuard.USAGE.replace(":t", "$1");
    List<String> plan =
        jdbc.execute((Statement s) -> {
          List<String> lines = new ArrayList<>();
          s.execute("SET enable_seqscan = off");
          s.execute("PREPARE usage_plan (uuid) AS " + sql);
          try (ResultSet rows =
              s.executeQuery(
                  "EXPLAIN EXECUTE usage_plan ('00000000-0000-0000-0000-000000000001')")) {
            while (rows.next()) {
              lines.add(rows.getString(1));
            }
          } finally {
            s.execute("DEALLOCATE usage_plan");
            s.execute("RESET enable_seqscan");
          }
          return lines;
        });
    assertThat(plan)
        .as("quota usage plan:%n%s", String.join("\n", plan))
        .anyMatch(line -> line.contains("fabric_vnic_tenant_ix"))
        .noneMatch(line -> line.contains("Seq Scan"));
  }
}
