package io.weft.diagnostics.reconciliation;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.weft.diagnostics.ClockHealth;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Every replica measures its own clock against the configured NTP servers (so this is a plain
 * per-replica loop, not a clustered Quartz job, which would fire on one replica only), records the
 * offset for operators and exposes it as the metric {@code weft.clock.offset}; hosts' offsets come
 * with their agents' reports ({@code weft.clock.host.offset.max}).
 */
@Component
class ClockWatch implements SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(ClockWatch.class);

  private final JdbcClient jdbc;
  private final ClockProperties props;
  private final Clock clock;
  private final AtomicLong replicaOffset = new AtomicLong();
  private final AtomicLong hostOffsetMax = new AtomicLong();
  private volatile Thread thread;

  ClockWatch(
      JdbcClient jdbc, ClockProperties props, Clock clock, ObjectProvider<MeterRegistry> registry) {
    MeterRegistry meters = registry.getIfAvailable(SimpleMeterRegistry::new);
    this.jdbc = jdbc;
    this.props = props;
    this.clock = clock;
    Gauge.builder("weft.clock.offset", replicaOffset, AtomicLong::get)
        .description("This replica's clock offset against its NTP server (ms)")
        .baseUnit("milliseconds")
        .register(meters);
    Gauge.builder("weft.clock.host.offset.max", hostOffsetMax, AtomicLong::get)
        .description("The largest clock offset any host's agent reports (ms, absolute)")
        .baseUnit("milliseconds")
        .register(meters);
  }

  /** Measures once and records it; answers the reading. */
  ClockHealth.Reading measure() {
    String node = ReplicaName.current();
    Long offset = null;
    String server = null;
    for (String s : props.ntpServers()) {
      OptionalLong o = NtpProbe.offsetMs(s, props.timeout());
      server = s;
      if (o.isPresent()) {
        offset = o.getAsLong();
        break;
      }
    }
    String status = props.ntpServers().isEmpty() ? "NOT_CONFIGURED" : props.classify(offset);
    if (offset != null) {
      replicaOffset.set(offset);
    }
    var now = clock.instant();
    int n =
        jdbc.sql(
                "UPDATE recon_replica_clock SET offset_ms = :o, server = :s, status = :st,"
                    + " measured_at = :at WHERE node = :n")
            .param("o", offset)
            .param("s", server)
            .param("st", status)
            .param("at", Timestamp.from(now))
            .param("n", node)
            .update();
    if (n == 0) {
      jdbc.sql(
              "INSERT INTO recon_replica_clock (node, offset_ms, server, status, measured_at)"
                  + " VALUES (:n, :o, :s, :st, :at)")
          .param("o", offset)
          .param("s", server)
          .param("st", status)
          .param("at", Timestamp.from(now))
          .param("n", node)
          .update();
    }
    if (!"OK".equals(status) && !"NOT_CONFIGURED".equals(status)) {
      log.warn("Clock of replica {}: {} ({} ms against {})", node, status, offset, server);
    }
    return new ClockHealth.Reading("replica", node, offset, server, status, now);
  }

  /** Every replica's and host's latest reading, and the worst status of them. */
  ClockHealth health() {
    List<ClockHealth.Reading> readings = new ArrayList<>();
    jdbc.sql("SELECT * FROM recon_replica_clock ORDER BY node")
        .query((rs, i) ->
            new ClockHealth.Reading(
                "replica",
                rs.getString("node"),
                (Long) rs.getObject("offset_ms", Long.class),
                rs.getString("server"),
                rs.getString("status"),
                rs.getTimestamp("measured_at").toInstant()))
        .list()
        .forEach(readings::add);
    long max = 0;
    for (var h :
        jdbc.sql(
                "SELECT r.clock_offset_ms, r.clock_server, r.reported_at, h.name FROM"
                    + " recon_host_report r JOIN fabric_host h ON h.id = r.host_id WHERE"
                    + " r.clock_offset_ms IS NOT NULL ORDER BY h.name")
            .query((rs, i) ->
                new ClockHealth.Reading(
                    "host",
                    rs.getString("name"),
                    rs.getLong("clock_offset_ms"),
                    rs.getString("clock_server"),
                    props.classify(rs.getLong("clock_offset_ms")),
                    rs.getTimestamp("reported_at").toInstant()))
            .list()) {
      readings.add(h);
      max = Math.max(max, Math.abs(h.offsetMs()));
    }
    hostOffsetMax.set(max);
    String worst = "NOT_CONFIGURED";
    List<String> order = List.of("NOT_CONFIGURED", "OK", "UNREACHABLE", "WARNING", "ALERT");
    for (ClockHealth.Reading r : readings) {
      if (order.indexOf(r.status()) > order.indexOf(worst)) {
        worst = r.status();
      }
    }
    return new ClockHealth(worst, props.warn().toMillis(), props.alert().toMillis(), readings);
  }

  private void loop() {
    while (thread != null) {
      try {
        measure();
        health();
      } catch (RuntimeException e) {
        log.warn("Clock check failed: {}", e.toString());
      }
      try {
        Thread.sleep(props.interval());
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  @Override
  public void start() {
    thread = Thread.ofVirtual().name("weft-clock-watch").start(this::loop);
  }

  @Override
  public void stop() {
    Thread t = thread;
    thread = null;
    if (t != null) {
      t.interrupt();
    }
  }

  @Override
  public boolean isRunning() {
    return thread != null;
  }
}
