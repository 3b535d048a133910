package io.weft.portal.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.weft.dataplane.agent.AgentProcess;
import io.weft.dataplane.table.HostTable;
import io.weft.dataplane.table.TableJson;
import io.weft.dataplane.table.TableMessage;
import io.weft.portal.H2ApplicationTest;
import io.weft.portal.agent.FabricLab.LabHost;
import io.weft.portal.agent.FabricLab.LabVm;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Arrays;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import tools.jackson.databind.JsonNode;

/**
 * A host whose applied table diverges from the fabric's, on the lab's real Linux hosts ({@link
 * LinuxLabCloud}), is named by the scheduled drift audit, the Quartz job {@code table-drift-audit}
 * (RAM store on this H2 application, every 10 s); and the benchmark of how long that takes ({@code
 * ./weft bench lab-drift [RUNS]}).
 */
@H2ApplicationTest
@ExtendWith(LinuxLabCloud.ClosedAtTheEnd.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Order(3)
class LinuxLabDriftTest {

  /** The goal (issue 12): a divergence between a host and the fabric detected within 30 s. */
  private static final long GOAL_MILLIS = 30_000;

  @Autowired ApplicationContext context;

  private LinuxLabCloud cloud;
  private LabHost h1;
  private AgentProcess agent1;
  private LabVm a;
  private LabVm b;

  @BeforeAll
  void cloud() throws Exception {
    cloud = LinuxLabCloud.start(context);
    h1 = cloud.h1;
    agent1 = cloud.agent1;
    a = cloud.a;
    b = cloud.b;
  }

  @AfterAll
  void done() throws Exception {
    LinuxLabCloud.finished(getClass());
  }

  @Test
  @Order(1)
  void aHostWhoseAppliedTableDivergesIsNamedByTheScheduledDriftAudit() throws Exception {
    long millis = divergenceNamedAfterMillis(true);
    System.out.printf(
        "divergence on h1 named by the scheduled drift audit (Quartz) %d ms after it began%n",
        millis);
    assertThat(millis).isLessThan(GOAL_MILLIS);
    assertThat(cloud.lab.reaches(a, b.address())).isTrue();
  }

  /**
   * Not a test: the divergence benchmark ({@code ./weft bench lab-drift [RUNS]} sets {@code
   * weft.bench.lab-drifts}). Each run makes h1 diverge at a random phase of the audit's schedule,
   * times it until the latest scheduled audit names h1 DIVERGED, and waits for h1 to be IN_SYNC
   * again; prints p50/p90/p99/max.
   */
  @Test
  @Order(20)
  void divergenceDetectionOnTheQuartzJob() throws Exception {
    int runs = Integer.getInteger("weft.bench.lab-drifts", 0);
    assumeTrue(runs > 0, "a benchmark, run by ./weft bench lab-drift [RUNS]");
    double[] millis = new double[runs];
    for (int i = 0; i < runs; i++) {
      Thread.sleep((long) (Math.random() * 10_000)); // a random phase of the 10 s schedule
      millis[i] = divergenceNamedAfterMillis(false);
      System.out.printf("divergence %d: named after %.0f ms%n", i + 1, millis[i]);
    }
    LabApi.printPercentiles("divergence -> named by the scheduled audit", millis);
    System.out.println("runs " + Arrays.toString(millis));
  }

  /**
   * h1 forwards with other entries at the fabric's generation (b's record gone) and reports, as an
   * agent does after every table it applies; the milliseconds until the latest scheduled audit
   * (what the operators' dashboard reads) names it DIVERGED. Then h1 applies the intended table
   * again and the audit finds it IN_SYNC.
   */
  private long divergenceNamedAfterMillis(boolean checkAnswer) throws Exception {
    LabApi operator = cloud.operatorApi();
    HostTable intended = agent1.agent().table();
    Instant start = Instant.now();
    long t0 = System.nanoTime();
    agent1.agent().apply(new TableMessage.Snapshot(LinuxLabCloud.without(intended, b.address())));
    assertThat(agent1.tableClient().reportStatus()).isTrue();
    long millis;
    try {
      await(
          () -> driftOf(operator, h1, start).path("verdict").asString().equals("DIVERGED"),
          "the scheduled drift audit to name h1");
      millis = (System.nanoTime() - t0) / 1_000_000;
      if (checkAnswer) {
        JsonNode drift = driftOf(operator, h1, start);
        System.out.println("h1 named: " + drift.path("summary").asString());
        assertThat(drift.path("drifting").asBoolean()).isTrue();
        assertThat(drift.path("summary").asString())
            .contains(h1.registered().host().name())
            .contains("its table is not what the fabric sent");
        assertThat(scheduledDriftAuditRunsSince(start))
            .as("the audit that named it: a firing of the Quartz job")
            .isPositive();
      }
    } finally {
      agent1.agent().apply(new TableMessage.Snapshot(intended));
      agent1.tableClient().reportStatus();
    }
    Instant restored = Instant.now();
    await(
        () -> driftOf(operator, h1, restored).path("verdict").asString().equals("IN_SYNC"),
        "h1 in sync again");
    return millis;
  }

  /** Scheduled runs of the drift audit job that started after {@code at} and succeeded. */
  private int scheduledDriftAuditRunsSince(Instant at) {
    return cloud
        .jdbc
        .sql(
            "SELECT count(*) FROM recon_run WHERE job_name = 'table-drift-audit' AND"
                + " trigger_kind = 'SCHEDULED' AND status = 'SUCCEEDED' AND started_at >= :at")
        .param("at", Timestamp.from(at))
        .query(Integer.class)
        .single();
  }

  /** Waits up to 40 s (longer than the goal, so a slow detection fails on the goal's line). */
  private static void await(java.util.function.BooleanSupplier condition, String what)
      throws InterruptedException {
    long deadline = System.nanoTime() + 40_000_000_000L;
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.sleep(20);
    }
  }

  /** {@code h}'s line of the latest scheduled drift report made after {@code after}, or empty. */
  private static JsonNode driftOf(LabApi operator, LabHost h, Instant after) {
    try {
      JsonNode report = operator.get("/api/v1/diagnostics/drift").body();
      if (Instant.parse(report.path("at").asString()).isBefore(after)) {
        return TableJson.mapper().createObjectNode();
      }
      for (JsonNode host : report.path("hosts")) {
        JsonNode id = host.path("hostId");
        if ((id.isObject() ? id.path("value") : id).asString().equals(h.id().toString())) {
          return host;
        }
      }
    } catch (Exception e) {
      // not yet
    }
    return TableJson.mapper().createObjectNode();
  }
}
