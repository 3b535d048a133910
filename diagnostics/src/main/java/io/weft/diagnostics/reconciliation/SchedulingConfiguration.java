package io.weft.diagnostics.reconciliation;

import io.weft.diagnostics.DiagnosticsRetention;
import io.weft.diagnostics.audit.DriftDetectionBudget;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Locale;
import java.util.Properties;
import java.util.UUID;
import javax.sql.DataSource;
import org.quartz.CronScheduleBuilder;
import org.quartz.JobBuilder;
import org.quartz.JobDetail;
import org.quartz.Trigger;
import org.quartz.TriggerBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.quartz.autoconfigure.QuartzProperties;
import org.springframework.boot.quartz.autoconfigure.SchedulerFactoryBeanCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * Quartz through Spring Boot. On PostgreSQL a clustered JDBC store (tables from Flyway, never from
 * {@code initialize-schema}; the PostgreSQL delegate set explicitly, since the standard one fails
 * there while health stays green), so each firing runs on one replica and a dead replica's job is
 * recovered by another. On the embedded H2 default a private RAM store. Giving Spring the data
 * source makes it use its LocalDataSourceJobStore; {@code jobStore.class} names {@link
 * ContextJobStore}, that store with connection providers private to the application context.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({
  ReconciliationProperties.class,
  JobProperties.class,
  ClockProperties.class
})
class SchedulingConfiguration {

  static final String GROUP = "weft";
  static final String RECONCILIATION = "ipam-reconciliation";
  static final String DRIFT_AUDIT = "table-drift-audit";
  static final String RETENTION = "diagnostics-retention";
  static final String RETENTION_DESCRIPTION =
      "Diagnostics retention: probes, checks, commands, captures, drop records and job runs"
          + " older than their retention deleted in batches";

  private static final Logger log = LoggerFactory.getLogger(SchedulingConfiguration.class);

  @Bean
  SchedulerFactoryBeanCustomizer weftJobStore(
      DataSource dataSource,
      PlatformTransactionManager transactions,
      QuartzProperties quartz,
      JobProperties jobs) {
    return factory -> {
      String[] database = database(dataSource);
      String product = database[0];
      boolean postgres = product.contains("postgres");
      boolean jdbc =
          switch (jobs.store().toLowerCase(Locale.ROOT)) {
            case "jdbc" -> true;
            case "memory" -> false;
            default -> postgres;
          };
      Properties p = new Properties();
      p.putAll(quartz.getProperties());
      p.putIfAbsent("org.quartz.threadPool.threadCount", "2");
      if (jdbc) {
        factory.setDataSource(dataSource);
        factory.setTransactionManager(transactions);
        p.putIfAbsent("org.quartz.jobStore.class", ContextJobStore.class.getName());
        // Replicas on one database share the name and so form one cluster; a context on another
        // database (a test's own) gets a cluster of its own.
        factory.setSchedulerName(jobs.schedulerName() + "@" + database[1]);
        p.putIfAbsent("org.quartz.scheduler.instanceId", "AUTO");
        p.putIfAbsent("org.quartz.jobStore.isClustered", "true");
        p.putIfAbsent(
            "org.quartz.jobStore.clusterCheckinInterval",
            Long.toString(jobs.clusterCheckinInterval().toMillis()));
        p.putIfAbsent(
            "org.quartz.jobStore.driverDelegateClass",
            postgres
                ? "org.quartz.impl.jdbcjobstore.PostgreSQLDelegate"
                : "org.quartz.impl.jdbcjobstore.StdJDBCDelegate");
      } else {
        // A RAM store is private to this application context: a unique name keeps several
        // contexts in one JVM (tests) from sharing Quartz's static scheduler repository.
        factory.setSchedulerName(jobs.schedulerName() + "-" + UUID.randomUUID());
      }
      factory.setQuartzProperties(p);
      factory.setOverwriteExistingJobs(true);
      factory.setWaitForJobsToCompleteOnShutdown(false);
      log.info("Scheduled jobs: {} store on {}", jdbc ? "clustered JDBC" : "RAM", product.strip());
    };
  }

  @Bean
  JobDetail reconciliationJob() {
    return JobBuilder.newJob(ReconciliationJob.class)
        .withIdentity(RECONCILIATION, GROUP)
        .withDescription("IPAM reconciliation: allocated vs configured vs observed")
        .storeDurably()
        .requestRecovery()
        .build();
  }

  @Bean
  Trigger reconciliationSchedule(JobDetail reconciliationJob, ReconciliationProperties props) {
    return TriggerBuilder.newTrigger()
        .forJob(reconciliationJob)
        .withIdentity(RECONCILIATION, GROUP)
        .withSchedule(periodicSweep(props.schedule()))
        .build();
  }

  @Bean
  JobDetail driftAuditJob() {
    // No recovery: an audit cut short by a dead replica is simply the next firing's, seconds later.
    return JobBuilder.newJob(DriftAuditJob.class)
        .withIdentity(DRIFT_AUDIT, GROUP)
        .withDescription(DRIFT_AUDIT_DESCRIPTION)
        .storeDurably()
        .build();
  }

  static final String DRIFT_AUDIT_DESCRIPTION =
      "Table drift audit: each host's applied table against the fabric's intended one";

  @Bean
  Trigger driftAuditSchedule(
      JobDetail driftAuditJob,
      @Value("${weft.diagnostics.drift-schedule:" + DriftDetectionBudget.DEFAULT_SCHEDULE + "}")
          String schedule,
      @Value("${weft.diagnostics.drift-grace:" + DriftDetectionBudget.DEFAULT_GRACE + "}")
          Duration grace) {
    DriftDetectionBudget budget = DriftDetectionBudget.of(schedule, grace);
    if (budget.meetsGoal()) {
      log.info("table drift audit: {}", budget);
    } else {
      log.warn("table drift audit too slow for its goal: {}", budget);
    }
    return TriggerBuilder.newTrigger()
        .forJob(driftAuditJob)
        .withIdentity(DRIFT_AUDIT, GROUP)
        .withSchedule(periodicSweep(schedule))
        .build();
  }

  @Bean
  JobDetail retentionJob() {
    // No recovery: a pass cut short by a dead replica leaves its rest to the next firing.
    return JobBuilder.newJob(RetentionJob.class)
        .withIdentity(RETENTION, GROUP)
        .withDescription(RETENTION_DESCRIPTION)
        .storeDurably()
        .build();
  }

  @Bean
  Trigger retentionSchedule(
      JobDetail retentionJob,
      @Value("${weft.diagnostics.retention.schedule:" + DiagnosticsRetention.DEFAULT_SCHEDULE + "}")
          String schedule) {
    return TriggerBuilder.newTrigger()
        .forJob(retentionJob)
        .withIdentity(RETENTION, GROUP)
        .withSchedule(periodicSweep(schedule))
        .build();
  }

  /**
   * The schedule of a periodic sweep: a firing missed while every replica was down or busy (later
   * than {@code org.quartz.jobStore.misfireThreshold}) is skipped, never replayed: the next run is
   * the schedule's next time. Replaying would start a burst of identical sweeps after an outage,
   * and firing once at once a sweep nobody asked for; the next one comes soon anyway.
   */
  static CronScheduleBuilder periodicSweep(String cron) {
    return CronScheduleBuilder.cronSchedule(cron).withMisfireHandlingInstructionDoNothing();
  }

  /** The database product (lower case) and the database's name. */
  private static String[] database(DataSource dataSource) {
    try (Connection c = dataSource.getConnection()) {
      return new String[] {
        c.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT),
        String.valueOf(c.getCatalog())
      };
    } catch (SQLException e) {
      throw new IllegalStateException("cannot tell which database this is", e);
    }
  }
}
