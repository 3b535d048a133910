package io.weft.fabric.contract;

import static org.assertj.core.api.Assertions.assertThat;

import io.weft.dataplane.table.HostTable;
import io.weft.dataplane.table.TableJson;
import io.weft.dataplane.table.TableMessage;
import io.weft.dataplane.table.VmNetworkTable;
import io.weft.fabric.Caller;
import io.weft.fabric.HostId;
import io.weft.fabric.HostState;
import io.weft.fabric.NewHost;
import io.weft.fabric.Subnet;
import io.weft.fabric.Vm;
import io.weft.fabric.VmNetwork;
import io.weft.fabric.tables.AgentReport;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * Host tables as the operators' views and an agent use them: operators alone read a host's status,
 * last report and the migrations; an agent (already authenticated by its token, so named by its
 * host id) reads its own table and reports what it applied.
 */
abstract class HostTableContract extends FabricContract {

  @Test
  @Covers({"HostTableService.status", "HostTableService.lastReport", "HostTableService.migrations"})
  void onlyOperatorsReadAHostsTableStatusReportsAndMigrations() {
    Tenancy a = newTenant();
    HostId h = readyHost(logicalNetwork(), 4).host().id();
    for (Caller tenantUser : List.of(a.admin(), a.member())) {
      denied(() -> tables.status(tenantUser, h));
      denied(() -> tables.lastReport(tenantUser, h));
      denied(() -> tables.migrations(tenantUser, 10));
    }
    notFound(() -> tables.status(OPERATOR, HostId.random()));
    assertThat(tables.lastReport(OPERATOR, HostId.random())).isEmpty();
    var status = tables.status(OPERATOR, h);
    assertThat(status.intendedDigest()).isNotBlank();
    assertThat(status.inSync()).as("no agent reported yet").isFalse();
    assertThat(tables.lastReport(OPERATOR, h)).isEmpty();
    assertThat(tables.migrations(OPERATOR, 0)).as("a limit below 1 reads one").hasSizeLessThan(2);
  }

  @Test
  @Covers({
    "HostTableService.generation",
    "HostTableService.intendedTable",
    "HostTableService.changesSince",
    "HostTableService.awaitChanges",
    "HostTableService.draining",
    "HostTableService.reportApplied"
  })
  void anAgentReadsItsTableAndItsFirstReportMakesItsHostReady() {
    HostId h =
        hosts
            .registerHost(OPERATOR, new NewHost("h-" + tag(), logicalNetwork(), null, 4))
            .host()
            .id();
    notFound(() -> tables.generation(HostId.random()));
    notFound(() -> tables.reportApplied(HostId.random(), new AgentReport(1, "x", "{}", null)));
    long g = tables.generation(h);
    HostTable first = tables.intendedTable(h);
    assertThat(first.generation()).isEqualTo(g);
    assertThat(tables.changesSince(h, 0))
        .get()
        .isInstanceOfSatisfying(
            TableMessage.Snapshot.class, s -> assertThat(s.table()).isEqualTo(first));
    assertThat(tables.changesSince(h, g)).as("current: nothing to send").isEmpty();
    assertThat(tables.awaitChanges(h, g, Duration.ofMillis(50))).isEmpty();
    assertThat(tables.draining()).isFalse();
    assertThat(hosts.getHost(OPERATOR, h).state()).isEqualTo(HostState.REGISTERING);
    var applied =
        tables.reportApplied(h, new AgentReport(g, TableJson.digest(first), "{\"rx\":1}", null));
    assertThat(applied.appliedGeneration()).isEqualTo(g);
    assertThat(hosts.getHost(OPERATOR, h).state()).isEqualTo(HostState.READY);
    assertThat(tables.status(OPERATOR, h).inSync()).isTrue();
    assertThat(tables.lastReport(OPERATOR, h).orElseThrow().countersJson()).contains("rx");

    Tenancy a = newTenant();
    VmNetwork n = network(a);
    Subnet s = subnet(a, n, "10.50.0.0/24");
    Vm vm = vm(a, "on-h", staticNic(s, "10.50.0.10"));
    if (!vms.getVm(OPERATOR, a.id(), vm.id()).placement().orElseThrow().hostId().equals(h)) {
      vms.migrate(OPERATOR, vm.id(), h);
    }
    HostTable now = tables.intendedTable(h);
    assertThat(now.generation()).isGreaterThan(g);
    assertThat(now.networks()).extracting(VmNetworkTable::routingDomainId).contains(n.id().value());
    assertThat(tables.intendedTable(h, List.of(n.id().value())).networks()).hasSize(1);
    assertThat(tables.intendedTable(h, List.of(UUID.randomUUID())).networks()).isEmpty();
    assertThat(tables.changesSince(h, g)).get().isInstanceOf(TableMessage.Delta.class);
    assertThat(tables.awaitChanges(h, g, Duration.ofSeconds(5))).isPresent();
    assertThat(tables.status(OPERATOR, h).lag()).isPositive();
  }

  @Test
  @Covers({"HostTableService.awaitChanges", "HostTableService.wakeLongPolls"})
  void aLongPollThatMayEndEarlyEndsWhenWoken() throws Exception {
    HostId h =
        hosts
            .registerHost(OPERATOR, new NewHost("h-" + tag(), logicalNetwork(), null, 4))
            .host()
            .id();
    long g = tables.generation(h);
    AtomicBoolean commandsQueued = new AtomicBoolean();
    CompletableFuture<Optional<TableMessage>> poll =
        CompletableFuture.supplyAsync(
            () -> tables.awaitChanges(h, g, Duration.ofSeconds(30), commandsQueued::get));
    Thread.sleep(200); // the poll is waiting: nothing changed, nothing queued
    assertThat(poll).isNotDone();
    commandsQueued.set(true);
    tables.wakeLongPolls(h);
    // Ends long before its 30 s wait: woken, it asks endsEarly again.
    assertThat(poll.get(10, TimeUnit.SECONDS)).isEmpty();
  }

  @Test
  @Covers({"HostTableService.agentPolled", "HostTableService.writeAgentSightings"})
  void aPollingAgentIsSeenWithoutReporting() {
    HostId h =
        hosts
            .registerHost(OPERATOR, new NewHost("h-" + tag(), logicalNetwork(), null, 4))
            .host()
            .id();
    assertThat(hosts.getHost(OPERATOR, h).lastSeenAt()).as("never heard from").isNull();
    tables.agentPolled(h);
    tables.agentPolled(HostId.random()); // a host deleted meanwhile: nothing to write, no error
    tables.writeAgentSightings();
    assertThat(hosts.getHost(OPERATOR, h).lastSeenAt()).as("seen by its poll alone").isNotNull();
    assertThat(tables.lastReport(OPERATOR, h)).as("and no report").isEmpty();
  }
}
