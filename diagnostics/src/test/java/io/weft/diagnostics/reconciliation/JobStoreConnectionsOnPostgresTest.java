package io.weft.diagnostics.reconciliation;

import static org.assertj.core.api.Assertions.assertThat;

import io.weft.diagnostics.trace.TraceTestApplication;
import io.weft.testkit.PostgresClassDatabase;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.quartz.Scheduler;
import org.quartz.TriggerKey;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Two replicas in one JVM on one database, as the two-replica tests run them: they form one Quartz
 * cluster (one scheduler name), yet each takes its connections from its own pool. With Spring's
 * store as it comes, the replica started second took over the first one's connections, and the
 * first one's Quartz closed a connection inside its own transaction ("Connection is closed"):
 * {@code ApplicationOnPostgresTest} failed that way when both started at the same moment.
 */
class JobStoreConnectionsOnPostgresTest {

  @RegisterExtension static final PostgresClassDatabase db = new PostgresClassDatabase();

  @Test
  void eachReplicaReadsItsSchedulesInItsOwnTransactionsWhileTheOtherRuns() throws Exception {
    try (ConfigurableApplicationContext first = replica();
        ConfigurableApplicationContext second = replica()) {
      assertThat(second.getBean(Scheduler.class).getSchedulerName())
          .as("one cluster")
          .isEqualTo(first.getBean(Scheduler.class).getSchedulerName());
      for (ConfigurableApplicationContext replica : List.of(first, second)) {
        Scheduler scheduler = replica.getBean(Scheduler.class);
        assertThat(scheduler.getMetaData().getJobStoreClass()).isEqualTo(ContextJobStore.class);
        TriggerKey key =
            TriggerKey.triggerKey(
                SchedulingConfiguration.RECONCILIATION, SchedulingConfiguration.GROUP);
        List<Object> read =
            new TransactionTemplate(replica.getBean(PlatformTransactionManager.class))
                .execute(tx -> {
                  try {
                    // Two reads in one transaction: the second used the connection the
                    // first had closed.
                    return List.of(scheduler.getTrigger(key), scheduler.checkExists(key));
                  } catch (Exception e) {
                    throw new IllegalStateException(e);
                  }
                });
        assertThat(read).hasSize(2).element(1).isEqualTo(true);
      }
    }
  }

  private static ConfigurableApplicationContext replica() {
    List<String> args =
        new ArrayList<>(List.of("--server.port=0", "--spring.main.web-application-type=none"));
    args.add(
        "--spring.flyway.locations=classpath:db/migration/ipam,classpath:db/migration/fabric,"
            + "classpath:db/migration/diagnostics,classpath:db/migration/quartz/{vendor}");
    db.addDataSource((name, value) -> args.add("--" + name + "=" + value.get()));
    return new SpringApplicationBuilder(TraceTestApplication.class)
        .run(args.toArray(String[]::new));
  }
}
