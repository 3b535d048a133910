package io.weft.diagnostics.trace;

import static io.weft.diagnostics.trace.TraceWorld.OPERATOR;
import static io.weft.diagnostics.trace.TraceWorld.nic;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.weft.diagnostics.Blocker;
import io.weft.diagnostics.ConnectivityDiagnostics;
import io.weft.diagnostics.PathStep;
import io.weft.diagnostics.TraceAnswer;
import io.weft.diagnostics.TraceRequest;
import io.weft.fabric.AuditLog;
import io.weft.fabric.Caller;
import io.weft.fabric.FabricException;
import io.weft.fabric.HostId;
import io.weft.fabric.HostState;
import io.weft.fabric.InvalidRequestException;
import io.weft.fabric.NotFoundException;
import io.weft.fabric.Subnet;
import io.weft.fabric.Vm;
import io.weft.fabric.VmNetwork;
import io.weft.fabric.VmState;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContext;

/**
 * Traces over the fabric's intended tables with the data plane's own switch code, on a cloud built
 * through the fabric's services. Each test breaks one thing on purpose and checks that the answer
 * names the cause and the fix.
 */
@SpringBootTest(classes = TraceTestApplication.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PathTracerTest {

  @Autowired ApplicationContext context;
  @Autowired ConnectivityDiagnostics diagnostics;
  @Autowired AuditLog audit;

  TraceWorld world;
  Subnet web;
  Subnet db;
  Vm a1;
  Vm a2;
  Vm a3;
  Vm other;

  @BeforeAll
  void cloud() {
    world = new TraceWorld(context).hosts(3, 3, 1500).tenant();
    VmNetwork prod = world.network("prod");
    web = world.subnet(prod, "web", "10.0.0.0/24", true);
    db = world.subnet(prod, "db", "10.0.1.0/24", false);
    a1 = world.staticVm("a1", web, "10.0.0.10");
    a2 = world.staticVm("a2", web, "10.0.0.11");
    a3 = world.staticVm("a3", db, "10.0.1.7");
    VmNetwork lab = world.network("lab");
    other = world.staticVm("o1", world.subnet(lab, "lab", "10.9.0.0/24", false), "10.9.0.5");
  }

  private TraceAnswer trace(Caller caller, Vm from, String to) {
    world.allApplied();
    return diagnostics.trace(caller, TraceRequest.ping(nic(from), to));
  }

  @Test
  @Order(1)
  void aWorkingPathAcrossHostsIsTracedThereAndBackNamingTheEntries() {
    HostId h1 = world.hostOf(a1);
    HostId h2 = world.hostOf(a2);
    assertThat(h1).as("spread placement").isNotEqualTo(h2);

    TraceAnswer answer = trace(OPERATOR, a1, "10.0.0.11");

    assertThat(answer.reachable()).as(answer.toString()).isTrue();
    assertThat(answer.blockers()).isEmpty();
    assertThat(answer.summary())
        .startsWith("Reachable: ICMP echo")
        .contains(world.hostName(h1) + " → " + world.hostName(h2));
    PathStep encap = stage(answer, PathStep.Direction.FORWARD, "ENCAPSULATE");
    int vsid = web.vsid();
    assertThat(encap.detail()).contains("NVGRE VSID " + vsid);
    assertThat(encap.decidedBy()).contains("overlay MTU 1458");
    assertThat(stage(answer, PathStep.Direction.FORWARD, "L2_LOOKUP").decidedBy())
        .contains("CA 10.0.0.11")
        .contains("PA " + world.hosts.getHost(OPERATOR, h2).providerAddress());
    assertThat(stage(answer, PathStep.Direction.FORWARD, "DELIVER").host())
        .isEqualTo(world.hostName(h2));
    assertThat(stage(answer, PathStep.Direction.RETURN, "DELIVER").detail()).contains(nic(a1));
  }

  @Test
  @Order(2)
  void routedToTheOtherSubnetOfTheVmNetwork() {
    TraceAnswer answer = trace(OPERATOR, a1, "10.0.1.7");
    assertThat(answer.reachable()).as(answer.summary()).isTrue();
    assertThat(stage(answer, PathStep.Direction.FORWARD, "ROUTE").detail())
        .contains("VSID " + web.vsid() + " → " + db.vsid());
    assertThat(answer.destination()).contains("a3");
  }

  @Test
  @Order(3)
  void anAddressInAnotherVmNetworkIsNamedWithBothNetworks() {
    TraceAnswer answer = trace(OPERATOR, a1, "10.9.0.5");
    assertThat(answer.reachable()).isFalse();
    assertThat(answer.summary())
        .contains("10.9.0.5 belongs to VM o1 in VM network lab, not in prod")
        .contains("never route to each other");
    assertThat(answer.blockers().getFirst().fix()).contains("same VM network");
  }

  @Test
  @Order(4)
  void anAddressNobodyHasIsAMissingLookupRecord() {
    TraceAnswer answer = trace(OPERATOR, a1, "10.0.0.99");
    assertThat(answer.summary())
        .contains("no lookup record for 10.0.0.99 in VSID " + web.vsid())
        .startsWith("Dropped on " + world.hostName(world.hostOf(a1)));
    assertThat(answer.steps())
        .anySatisfy(s -> assertThat(s.detail()).startsWith("ARP for 10.0.0.99: NO_ROUTE"))
        .allSatisfy(s -> assertThat(s.direction()).isEqualTo(PathStep.Direction.FORWARD));

    TraceAnswer outside = trace(OPERATOR, a1, "172.16.0.1");
    assertThat(outside.summary()).contains("172.16.0.1 is in no subnet of VM network prod");
    assertThat(outside.blockers().getFirst().fix()).contains("add a subnet");
  }

  @Test
  @Order(5)
  void aSpoofedSourceIsDroppedAndTheTraceGoesOnAsIfTheVmUsedItsOwnAddress() {
    world.allApplied();
    TraceAnswer answer =
        diagnostics.trace(
            OPERATOR, new TraceRequest(nic(a1), "10.0.0.11", null, null, null, "10.0.0.66"));
    assertThat(answer.reachable()).isFalse();
    Blocker spoof = answer.blockers().getFirst();
    assertThat(spoof.cause()).contains("port security").contains("10.0.0.66");
    assertThat(spoof.fix()).contains("10.0.0.10");
    assertThat(spoof.assumedFixed()).isTrue();
    assertThat(answer.blockers()).hasSize(1);
    assertThat(answer.summary()).startsWith("Reachable on the fabric's intended tables, but");
    assertThat(stage(answer, PathStep.Direction.RETURN, "DELIVER")).isNotNull();
  }

  @Test
  @Order(6)
  void aPacketLargerThanTheOverlayMtuNamesTheMtuAndTheFix() {
    world.allApplied();
    TraceAnswer answer =
        diagnostics.trace(OPERATOR, new TraceRequest(nic(a1), "10.0.1.7", "UDP", 53, 1500, null));
    Blocker mtu = answer.blockers().getFirst();
    assertThat(mtu.cause()).contains("1500-byte packet exceeds the overlay MTU 1458");
    assertThat(mtu.fix())
        .contains("at most 1458 bytes")
        .contains("raise the logical network's MTU by 42");
    assertThat(answer.blockers()).hasSize(1);
    assertThat(stage(answer, PathStep.Direction.RETURN, "DELIVER")).isNotNull();
  }

  @Test
  @Order(7)
  void aHostThatHasNotAppliedTheLatestGenerationIsNamed() {
    HostId h2 = world.hostOf(a2);
    world.allApplied();
    long before = world.tables.generation(h2);
    // A change in the VM network reaches every host of it; all but h2 apply it.
    Vm extra = world.staticVm("extra", web, "10.0.0.12");
    for (HostId h : world.hostIds) {
      if (!h.equals(h2)) {
        world.applied(h);
      }
    }
    long now = world.tables.generation(h2);
    assertThat(now).isGreaterThan(before);
    TraceAnswer answer = diagnostics.trace(OPERATOR, TraceRequest.ping(nic(a1), "10.0.0.11"));
    assertThat(answer.summary())
        .contains(world.hostName(h2) + " has not applied generation " + now)
        .contains("it forwards with " + before);
    assertThat(answer.reachable()).isFalse();

    TraceAnswer tenantView =
        diagnostics.trace(world.tenantCaller, TraceRequest.ping(nic(a1), "10.0.0.11"));
    assertThat(tenantView.summary())
        .contains("the destination host has not applied your latest change yet")
        .doesNotContain(world.hostName(h2));
    world.vms.deleteVm(OPERATOR, world.tenant, extra.id());
  }

  @Test
  @Order(8)
  void aDownHostAndAHostWhoseAgentNeverReportedAreBlockers() {
    HostId h2 = world.hostOf(a2);
    world.hosts.setHostState(OPERATOR, h2, HostState.DOWN);
    try {
      TraceAnswer answer = trace(OPERATOR, a1, "10.0.0.11");
      assertThat(answer.summary()).contains(world.hostName(h2) + " is DOWN");
      assertThat(answer.blockers().getFirst().fix()).contains("set it READY");
    } finally {
      world.hosts.setHostState(OPERATOR, h2, HostState.READY);
    }
  }

  @Test
  @Order(9)
  void tenantsSeeNoHostNamesOrProviderAddressesAndCannotUseAnotherTenantsVnic() {
    TraceAnswer answer = trace(world.tenantCaller, a1, "10.0.0.11");
    assertThat(answer.reachable()).isTrue();
    String everything = answer.toString();
    for (HostId h : world.hostIds) {
      var host = world.hosts.getHost(OPERATOR, h);
      assertThat(everything).doesNotContain(host.name()).doesNotContain(host.providerAddress());
    }
    assertThat(stage(answer, PathStep.Direction.FORWARD, "DECAPSULATE").host())
        .isEqualTo("the destination host");

    Caller[] attacker = new Caller[1];
    world.signup(attacker);
    assertThatThrownBy(
            () -> diagnostics.trace(attacker[0], TraceRequest.ping(nic(a1), "10.0.0.11")))
        .isInstanceOf(NotFoundException.class)
        .extracting(e -> ((FabricException) e).field())
        .isEqualTo(Optional.of("sourceVnicId"));
    var lines = audit.recent(OPERATOR, null, 20);
    assertThat(lines)
        .anySatisfy(l -> {
          assertThat(l.action()).isEqualTo("diagnostics.trace");
          assertThat(l.result()).isEqualTo("REFUSED");
          assertThat(l.actor()).isEqualTo(attacker[0].username());
        })
        .anySatisfy(l -> {
          assertThat(l.action()).isEqualTo("diagnostics.trace");
          assertThat(l.result()).isEqualTo("OK");
          assertThat(l.detail()).startsWith("Reachable");
        });
  }

  @Test
  @Order(10)
  void badInputNamesTheField() {
    record Bad(TraceRequest request, String field) {}
    String src = nic(a1);
    for (Bad bad :
        List.of(
            new Bad(new TraceRequest(null, "10.0.0.11", null, null, null, null), "sourceVnicId"),
            new Bad(new TraceRequest("nope", "10.0.0.11", null, null, null, null), "sourceVnicId"),
            new Bad(new TraceRequest(src, "10.0.0.300", null, null, null, null), "destination"),
            new Bad(new TraceRequest(src, null, null, null, null, null), "destination"),
            new Bad(new TraceRequest(src, "10.0.0.11", "SCTP", null, null, null), "protocol"),
            new Bad(new TraceRequest(src, "10.0.0.11", "TCP", 70000, null, null), "port"),
            new Bad(new TraceRequest(src, "10.0.0.11", "TCP", null, null, null), "port"),
            new Bad(new TraceRequest(src, "10.0.0.11", "ICMP", 80, null, null), "port"),
            new Bad(new TraceRequest(src, "10.0.0.11", null, null, 20000, null), "size"),
            new Bad(new TraceRequest(src, "10.0.0.11", null, null, null, "x"), "sourceAddress"))) {
      assertThatThrownBy(() -> diagnostics.trace(OPERATOR, bad.request()))
          .as(bad.toString())
          .isInstanceOf(InvalidRequestException.class)
          .extracting(e -> ((FabricException) e).field())
          .isEqualTo(Optional.of(bad.field()));
    }
    assertThatThrownBy(() ->
            diagnostics.trace(
                OPERATOR, TraceRequest.ping("00000000-0000-0000-0000-000000000001", "10.0.0.1")))
        .isInstanceOf(NotFoundException.class);
  }

  @Test
  @Order(11)
  void aLiveMigrationInFlightIsNotedAndTheTraceFollowsTheRecordsInForce() {
    world.allApplied();
    HostId from = world.hostOf(a2);
    HostId to =
        world.hostIds.stream()
            .filter(h -> !h.equals(from) && !h.equals(world.hostOf(a1)))
            .findFirst()
            .orElseThrow();
    world.vms.migrate(OPERATOR, a2.id(), to);
    // Nobody applies anything: the destination host has not taken the port yet.
    TraceAnswer answer = diagnostics.trace(OPERATOR, TraceRequest.ping(nic(a1), "10.0.0.11"));
    assertThat(answer.notes())
        .anySatisfy(
            n -> assertThat(n).contains("being live-migrated from " + world.hostName(from)));
    assertThat(stage(answer, PathStep.Direction.FORWARD, "DELIVER").host())
        .isEqualTo(world.hostName(from));
  }

  @Test
  @Order(20)
  void aStoppedDestinationAndASourceWithoutAddressNameTheVm() {
    world.allApplied();
    Vm pending = null;
    for (int i = 0; i < 12 && pending == null; i++) {
      Vm vm = world.staticVm("filler-" + i, db, "10.0.1." + (50 + i));
      if (vm.state() == VmState.PENDING) {
        pending = vm;
      }
    }
    assertThat(pending).as("hosts full, the last VM waits").isNotNull();
    TraceAnswer answer = trace(OPERATOR, a1, pending.nics().getFirst().address());
    assertThat(answer.summary()).contains("the destination VM " + pending.name() + " is stopped");
    assertThat(answer.blockers().getFirst().fix()).startsWith("start it");

    TraceAnswer from = trace(OPERATOR, pending, "10.0.0.10");
    assertThat(from.summary()).contains("The source VM " + pending.name() + " is stopped");
  }

  private static PathStep stage(TraceAnswer answer, PathStep.Direction direction, String stage) {
    return answer.steps().stream()
        .filter(s -> s.direction() == direction && s.stage().equals(stage))
        .filter(s -> !s.detail().startsWith("ARP for"))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + direction + " " + stage + " in " + answer));
  }
}
