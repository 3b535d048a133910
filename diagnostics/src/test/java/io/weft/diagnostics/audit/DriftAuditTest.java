package io.weft.diagnostics.audit;

import static io.weft.diagnostics.trace.TraceWorld.OPERATOR;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.weft.diagnostics.DriftReport;
import io.weft.diagnostics.HostDrift;
import io.weft.diagnostics.HostDrift.Verdict;
import io.weft.diagnostics.TableDriftAudit;
import io.weft.diagnostics.trace.TraceTestApplication;
import io.weft.diagnostics.trace.TraceWorld;
import io.weft.fabric.AccessDeniedException;
import io.weft.fabric.HostId;
import io.weft.fabric.NewHost;
import io.weft.fabric.Subnet;
import io.weft.fabric.Vm;
import io.weft.fabric.tables.AgentReport;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContext;

/** Hosts made to drift on purpose, and the audit naming how and which entries. */
@SpringBootTest(classes = TraceTestApplication.class)
class DriftAuditTest {

  @Autowired ApplicationContext context;
  @Autowired TableDriftAudit drift;

  @Test
  void behindDivergedAndSilentHostsAreNamedWithTheEntriesTheyLack() {
    TraceWorld world = new TraceWorld(context).hosts(2, 8, 1500).tenant();
    Subnet web = world.subnet(world.network("prod"), "web", "10.0.0.0/24", false);
    Vm one = world.staticVm("one", web, "10.0.0.10");
    world.staticVm("two", web, "10.0.0.11");
    world.allApplied();
    DriftReport clean = drift.auditNow(OPERATOR);
    for (HostId h : world.hostIds) {
      assertThat(of(clean, h).verdict()).isEqualTo(Verdict.IN_SYNC);
      assertThat(of(clean, h).drifting()).isFalse();
    }

    // A new VM: host 2 never applies the change, host 1 applies but reports a wrong digest.
    HostId h1 = world.hostIds.get(0);
    HostId h2 = world.hostIds.get(1);
    Vm late = world.staticVm("late", web, "10.0.0.12");
    HostId lateHost = world.hostOf(late);
    String latePa = world.hosts.getHost(OPERATOR, lateHost).providerAddress();
    long intended1 = world.tables.generation(h1);
    world.tables.reportApplied(h1, new AgentReport(intended1, "sha256:not-the-table", null, null));
    HostId stranger =
        world
            .hosts
            .registerHost(
                OPERATOR,
                new NewHost(
                    "never-" + one.id().toString().substring(0, 6),
                    world.hosts.getHost(OPERATOR, h1).logicalNetworkId().toString(),
                    null,
                    4))
            .host()
            .id();

    DriftReport report = drift.auditNow(OPERATOR);
    HostDrift behind = of(report, h2);
    assertThat(behind.verdict()).isEqualTo(Verdict.BEHIND);
    assertThat(behind.summary())
        .contains(
            world.hostName(h2) + " has not applied generation " + world.tables.generation(h2));
    if (!lateHost.equals(h2)) {
      assertThat(behind.entries())
          .anySatisfy(e -> {
            assertThat(e.kind()).isEqualTo("MISSING");
            assertThat(e.what()).isEqualTo("lookup record");
            assertThat(e.ca()).isEqualTo("10.0.0.12");
            assertThat(e.vsid()).isEqualTo(web.vsid());
            assertThat(e.expectedPa()).isEqualTo(latePa);
          });
    } else {
      assertThat(behind.entries()).anySatisfy(e -> assertThat(e.what()).isEqualTo("port"));
    }
    HostDrift diverged = of(report, h1);
    assertThat(diverged.verdict()).isEqualTo(Verdict.DIVERGED);
    assertThat(diverged.drifting()).isTrue();
    assertThat(diverged.summary()).contains("sha256:not-the-table").contains("fresh snapshot");
    assertThat(of(report, stranger).verdict()).isEqualTo(Verdict.NEVER_REPORTED);

    // The stored audit is what every replica serves, and the scheduled round writes the same.
    assertThat(drift.latest(OPERATOR).map(r -> of(r, h2).verdict())).contains(Verdict.BEHIND);
    assertThat(drift.latest(OPERATOR).map(r -> of(r, h2).entries())).contains(behind.entries());
    drift.auditScheduled();
    assertThat(drift.latest(OPERATOR).map(r -> of(r, h2).behindSince()))
        .as("behind since the first audit that saw it")
        .contains(behind.behindSince());

    assertThatThrownBy(() -> drift.auditNow(world.tenantCaller))
        .isInstanceOf(AccessDeniedException.class);
  }

  @Test
  void aHostBehindCountsAsDriftingOnlyAfterTheGrace() {
    TraceWorld world = new TraceWorld(context).hosts(1, 4, 1500).tenant();
    Subnet web = world.subnet(world.network("n"), "web", "10.0.0.0/24", false);
    world.staticVm("one", web, "10.0.0.10");
    HostId h = world.hostIds.getFirst();
    world.tables.reportApplied(h, new AgentReport(1, "sha256:x", null, null));
    var auditor = new HostAuditor(world.tables, Duration.ofSeconds(10), Duration.ofSeconds(90));
    var host = world.hosts.getHost(OPERATOR, h);
    Instant now = Instant.now();
    assertThat(auditor.audit(host, Optional.of(now.minusSeconds(5)), now).drifting()).isFalse();
    assertThat(auditor.audit(host, Optional.of(now.minusSeconds(11)), now).drifting()).isTrue();
    assertThat(auditor.audit(host, Optional.empty(), now.plusSeconds(120)).verdict())
        .isEqualTo(Verdict.SILENT);
  }

  private static HostDrift of(DriftReport report, HostId host) {
    return report.hosts().stream()
        .filter(h -> h.hostId().equals(host))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + host + " in " + report));
  }
}
