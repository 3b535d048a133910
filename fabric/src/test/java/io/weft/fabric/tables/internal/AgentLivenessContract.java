package io.weft.fabric.tables.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.weft.fabric.HostId;
import io.weft.fabric.HostService;
import io.weft.fabric.tables.HostTableService;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * An agent's long-polls keep its host seen without status reports (TABLE-FORMAT.md, "Liveness"):
 * the hosts pages, the API and migrations' peer liveness read the time the polls wrote. Subclasses
 * turn the timed flush off ({@code weft.tables.seen-flush-interval=1h}) and flush by hand.
 */
abstract class AgentLivenessContract {

  @Autowired ApplicationContext ctx;
  @Autowired HostTableService tables;
  @Autowired HostService hosts;
  @Autowired AgentSightings sightings;
  @Autowired JdbcClient jdbc;

  @Test
  void anAgentThatOnlyPollsIsSeenWithoutAReport() {
    Cloud cloud = new Cloud(ctx).build(2, "VXLAN").ready();
    HostId polling = cloud.hostIds.get(0);
    HostId quiet = cloud.hostIds.get(1);
    Instant hourAgo = hourAgo();
    cloud.hostIds.forEach(h -> lastSeen(h, hourAgo));

    tables.agentPolled(polling);
    assertThat(hosts.getHost(Cloud.OPERATOR, polling).lastSeenAt())
        .as("in this replica's memory until the next flush")
        .isEqualTo(hourAgo);
    sightings.flush();

    Instant seen = hosts.getHost(Cloud.OPERATOR, polling).lastSeenAt();
    assertThat(seen).isAfter(Instant.now().minus(Duration.ofMinutes(1)));
    assertThat(tables.status(Cloud.OPERATOR, polling).lastSeenAt()).isEqualTo(seen);
    assertThat(tables.lastReport(Cloud.OPERATOR, polling))
        .as("seen, yet it never reported")
        .isEmpty();
    assertThat(hosts.getHost(Cloud.OPERATOR, quiet).lastSeenAt()).isEqualTo(hourAgo);
  }

  @Test
  void aFreshTimeIsNotRewrittenAndNeverMovesBack() {
    Cloud cloud = new Cloud(ctx).build(1, "VXLAN").ready();
    HostId host = cloud.hostIds.getFirst();
    SimAgents agents = new SimAgents(tables);
    tables.agentPolled(host); // before the report: older than the time the report writes
    agents.syncAndReport(host);
    Instant reported = hosts.getHost(Cloud.OPERATOR, host).lastSeenAt();

    assertThat(sightings.flush()).as("the report's time is fresh: nothing to write").isZero();
    assertThat(hosts.getHost(Cloud.OPERATOR, host).lastSeenAt()).isEqualTo(reported);
  }

  @Test
  void aStoppedReplicaWritesTheSightingsItHolds() {
    Cloud cloud = new Cloud(ctx).build(1, "VXLAN").ready();
    HostId host = cloud.hostIds.getFirst();
    Instant hourAgo = hourAgo();
    lastSeen(host, hourAgo);
    tables.agentPolled(host);
    try {
      sightings.stop();
      assertThat(hosts.getHost(Cloud.OPERATOR, host).lastSeenAt()).isAfter(hourAgo);
    } finally {
      sightings.start();
    }
  }

  /**
   * A peer that applied the switch but has not reported since (it has nothing to report: it polls)
   * is live: the source keeps its port until that peer applies, or until the peer timeout.
   */
  @Test
  void aMigrationWaitsForAPeerThatPollsButDoesNotReport() {
    SilentPeerMigration m = stalledMigration("10.61.0");
    othersSilent(m);
    tables.agentPolled(m.peer());
    sightings.flush();

    m.agents().report(m.source());

    assertThat(phase()).as("the source waits for the polling peer").isEqualTo("RECORDS_SWITCHED");
  }

  /** The other side of the one above: a peer neither polling nor reporting is not waited for. */
  @Test
  void aMigrationDoesNotWaitForAPeerThatNeitherPollsNorReports() {
    SilentPeerMigration m = stalledMigration("10.62.0");
    othersSilent(m);

    m.agents().report(m.source());

    assertThat(phase()).isEqualTo("DONE");
  }

  /**
   * Every host but the migration's source and destination last seen an hour ago: its peer, and the
   * hosts of other tests in this database, where placement may have put the VMs first.
   */
  private void othersSilent(SilentPeerMigration m) {
    jdbc.sql("UPDATE fabric_host SET last_seen_at = :at WHERE id NOT IN (:source, :dest)")
        .param("at", Timestamp.from(hourAgo()))
        .param("source", m.source().value())
        .param("dest", m.destination().value())
        .update();
  }

  /** An hour ago, in the database's precision (microseconds). */
  private static Instant hourAgo() {
    return Instant.now().minus(Duration.ofHours(1)).truncatedTo(ChronoUnit.MILLIS);
  }

  private void lastSeen(HostId host, Instant at) {
    jdbc.sql("UPDATE fabric_host SET last_seen_at = :at WHERE id = :id")
        .param("at", Timestamp.from(at))
        .param("id", host.value())
        .update();
  }

  private String phase() {
    return tables.migrations(Cloud.OPERATOR, 1).getFirst().phase();
  }

  /**
   * A VM moved from the source to a destination that applied it; the peers were switched and the
   * peer's host applied the switch without reporting it; the source has not reported yet.
   */
  private SilentPeerMigration stalledMigration(String net) {
    SilentPeerMigration m = SilentPeerMigration.switching(ctx, tables, net);
    m.agents().sync(m.source());
    m.agents().sync(m.peer());
    return m;
  }
}
