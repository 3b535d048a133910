package io.weft.diagnostics.reconciliation;

import static org.assertj.core.api.Assertions.assertThat;

import io.weft.diagnostics.trace.TraceTestApplication;
import io.weft.testkit.PostgresClassDatabase;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.quartz.CronTrigger;
import org.quartz.Job;
import org.quartz.JobBuilder;
import org.quartz.JobDetail;
import org.quartz.JobExecutionContext;
import org.quartz.JobKey;
import org.quartz.Scheduler;
import org.quartz.Trigger;
import org.quartz.TriggerBuilder;
import org.quartz.TriggerKey;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The periodic sweeps on PostgreSQL with Quartz's clustered JDBC store, as replicas run them:
 * findings' identity through the batched writes ({@link FindingStoreContract}), and misfires that
 * are skipped, not replayed. The misfire threshold is 1 s here (60 s by default) so that Quartz's
 * misfire handler looks every second.
 */
@SpringBootTest(
    classes = TraceTestApplication.class,
    properties = {
      "spring.flyway.locations=classpath:db/migration/ipam,classpath:db/migration/fabric,"
          + "classpath:db/migration/diagnostics,classpath:db/migration/quartz/{vendor}",
      "spring.quartz.properties.org.quartz.jobStore.misfireThreshold=1000"
    })
class SweepsOnPostgresTest extends FindingStoreContract {

  @RegisterExtension static final PostgresClassDatabase db = new PostgresClassDatabase();

  @DynamicPropertySource
  static void postgres(DynamicPropertyRegistry registry) {
    db.addDataSource(registry::add);
  }

  @Autowired Scheduler scheduler;
  @Autowired ApplicationContext context;

  /** When each firing of the probe job was scheduled for. */
  static final ConcurrentLinkedQueue<Date> FIRED = new ConcurrentLinkedQueue<>();

  /** A sweep that only says it ran. */
  public static class FiringRecorder implements Job {
    @Override
    public void execute(JobExecutionContext context) {
      FIRED.add(context.getScheduledFireTime());
    }
  }

  @Test
  void aSweepThatMissedFiveMinutesOfFiringsRunsOnceAtItsNextTimeNotInABurst() throws Exception {
    assertThat(scheduler.getMetaData().isJobStoreClustered()).isTrue();
    assertThat(scheduler.getMetaData().getJobStoreClass().getSimpleName())
        .isEqualTo("ContextJobStore");
    JobKey key = JobKey.jobKey("misfire-probe", "test");
    JobDetail job = JobBuilder.newJob(FiringRecorder.class).withIdentity(key).build();
    Instant registered = Instant.now();
    // As if every replica had been down for five minutes: 150 firings, every 2 s, were missed.
    Trigger every2s =
        TriggerBuilder.newTrigger()
            .forJob(job)
            .withIdentity("misfire-probe", "test")
            .startAt(Date.from(registered.minus(Duration.ofMinutes(5))))
            .withSchedule(SchedulingConfiguration.periodicSweep("0/2 * * * * ?"))
            .build();
    FIRED.clear();
    scheduler.scheduleJob(job, Set.of(every2s), true);
    try {
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (FIRED.stream().noneMatch(d -> onTheScheduleSince(d, registered))) {
        assertThat(System.nanoTime()).as("no firing on the schedule in 30 s").isLessThan(deadline);
        Thread.sleep(20);
      }
      List<Date> fired = List.copyOf(FIRED);
      assertThat(fired)
          .as(
              "missed firings skipped: neither replayed (a burst of past times) nor fired once"
                  + " at once; the first run is the schedule's next time")
          .hasSize(1)
          .allMatch(d -> onTheScheduleSince(d, registered));
    } finally {
      scheduler.deleteJob(key);
    }
  }

  @Test
  void everyPeriodicSweepIsStoredToSkipItsMisfires() throws Exception {
    for (String name :
        List.of(
            SchedulingConfiguration.RECONCILIATION,
            SchedulingConfiguration.DRIFT_AUDIT,
            SchedulingConfiguration.RETENTION)) {
      Trigger stored =
          scheduler.getTrigger(TriggerKey.triggerKey(name, SchedulingConfiguration.GROUP));
      assertThat(stored).as(name).isInstanceOf(CronTrigger.class);
      assertThat(stored.getMisfireInstruction())
          .as(name + " as the clustered store keeps it")
          .isEqualTo(CronTrigger.MISFIRE_INSTRUCTION_DO_NOTHING);
    }
    assertThat(context.getBeansOfType(Trigger.class).values())
        .isNotEmpty()
        .allMatch(t -> t.getMisfireInstruction() == CronTrigger.MISFIRE_INSTRUCTION_DO_NOTHING);
  }

  /** A time of the every-2-s schedule (whole even second), no earlier than {@code since}. */
  private static boolean onTheScheduleSince(Date fired, Instant since) {
    return fired.getTime() % 2000 == 0 && !fired.toInstant().isBefore(since);
  }
}
