package io.weft.portal.operations;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.weft.fabric.Caller;
import io.weft.fabric.HostService;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.authentication.event.AbstractAuthenticationFailureEvent;
import org.springframework.stereotype.Component;

/**
 * The cloud's health as gauges, each one small query when Prometheus scrapes (every replica reads
 * the same database, so any replica answers for the whole cloud), plus failed sign-ins counted per
 * replica (sum them across replicas). Names as Prometheus sees them: {@code weft_hosts_silent},
 * {@code weft_hosts_behind}, {@code weft_tables_generations_behind_max}, {@code
 * weft_hosts_refusing_tables}, {@code weft_vsid_pool_used_ratio}, {@code
 * weft_login_failures_total}.
 */
@Component
class OperationsMetrics implements MeterBinder {

  /**
   * An agent's long-poll (every 60 s at rest) keeps its last-seen time fresh, written within 5 s,
   * at most 75 s old (TABLE-FORMAT.md, "Liveness"); 90 s without one makes a host silent.
   */
  static final Duration SILENT_AFTER = Duration.ofSeconds(90);

  private static final Logger LOG = LoggerFactory.getLogger(OperationsMetrics.class);
  private static final Caller METRICS = Caller.system("metrics");

  private final JdbcClient jdbc;
  private final HostService hosts;
  private final Clock clock;
  private Counter loginFailures;

  OperationsMetrics(JdbcClient jdbc, HostService hosts, Clock clock) {
    this.jdbc = jdbc;
    this.hosts = hosts;
    this.clock = clock;
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    gauge(
        registry,
        "weft.hosts.silent",
        "READY hosts whose agent has not been heard from (a long-poll or a report) for 90 s",
        () ->
            jdbc.sql(
                    "SELECT count(*) FROM fabric_host WHERE state = 'READY'"
                        + " AND (last_seen_at IS NULL OR last_seen_at < :cutoff)")
                .param("cutoff", Timestamp.from(clock.instant().minus(SILENT_AFTER)))
                .query(Long.class)
                .single());
    gauge(
        registry,
        "weft.hosts.behind",
        "READY hosts whose agent applied an older table",
        () ->
            jdbc.sql(
                    "SELECT count(*) FROM fabric_host h JOIN fabric_table_host t"
                        + " ON t.host_id = h.id WHERE h.state = 'READY'"
                        + " AND h.applied_generation < t.generation")
                .query(Long.class)
                .single());
    gauge(
        registry,
        "weft.tables.generations.behind.max",
        "the most generations any READY host's agent is behind its table",
        () ->
            jdbc.sql(
                    "SELECT coalesce(max(t.generation - h.applied_generation), 0)"
                        + " FROM fabric_host h JOIN fabric_table_host t ON t.host_id = h.id"
                        + " WHERE h.state = 'READY' AND h.applied_generation >= 0")
                .query(Long.class)
                .single());
    gauge(
        registry,
        "weft.hosts.refusing.tables",
        "hosts whose agent refused the last table it was sent",
        () ->
            jdbc.sql("SELECT count(*) FROM fabric_table_host WHERE last_rejection IS NOT NULL")
                .query(Long.class)
                .single());
    gauge(
        registry,
        "weft.vsid.pool.used.ratio",
        "share of the cloud-wide VSID space held by subnets",
        () -> hosts.vsidUsage(METRICS).percent() / 100.0);
    loginFailures =
        Counter.builder("weft.login.failures")
            .description("failed sign-ins (browser or API) on this replica")
            .register(registry);
  }

  @EventListener
  void failed(AbstractAuthenticationFailureEvent event) {
    if (loginFailures != null) {
      loginFailures.increment();
    }
  }

  private static void gauge(
      MeterRegistry registry, String name, String description, Supplier<Number> value) {
    Gauge.builder(name, () -> read(name, value)).description(description).register(registry);
  }

  /** A failed read is NaN (Prometheus shows a gap), never an exception in the scrape. */
  private static double read(String name, Supplier<Number> value) {
    try {
      return value.get().doubleValue();
    } catch (RuntimeException e) {
      LOG.debug("metric {} unavailable", name, e);
      return Double.NaN;
    }
  }
}
