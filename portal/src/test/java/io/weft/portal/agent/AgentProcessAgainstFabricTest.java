package io.weft.portal.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.weft.dataplane.agent.AgentOptions;
import io.weft.dataplane.agent.AgentProcess;
import io.weft.dataplane.table.HostTable;
import io.weft.dataplane.table.LookupRecord;
import io.weft.fabric.Caller;
import io.weft.fabric.ExternalHostService;
import io.weft.fabric.HostId;
import io.weft.fabric.HostService;
import io.weft.fabric.HostState;
import io.weft.fabric.NetworkService;
import io.weft.fabric.NewExternalHost;
import io.weft.fabric.NewExternalMachine;
import io.weft.fabric.NewHost;
import io.weft.fabric.NewLogicalNetwork;
import io.weft.fabric.NewSubnet;
import io.weft.fabric.NewVm;
import io.weft.fabric.NewVnic;
import io.weft.fabric.RegisteredHost;
import io.weft.fabric.SignupRequest;
import io.weft.fabric.TenantId;
import io.weft.fabric.TenantService;
import io.weft.fabric.Vm;
import io.weft.fabric.VmService;
import io.weft.fabric.identity.AccountId;
import io.weft.fabric.identity.Role;
import io.weft.fabric.tables.HostTableService;
import io.weft.portal.H2ApplicationTest;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The agent process ({@code ./weft agent}, memory backend) against the real fabric over HTTP: it
 * turns its host READY, applies the VM placed on it and the machines of an external host sharing
 * the VM network, offers the overlay MTU of its logical network, restarts from its kept table with
 * the fabric out of reach, and a refusal (its PA is not on the named underlay interface) reaches
 * the fabric with what the interface has.
 */
@H2ApplicationTest
class AgentProcessAgainstFabricTest {

  static final Caller OPERATOR =
      new Caller(new AccountId(UUID.randomUUID()), "op", Role.OPERATOR, Optional.empty());

  @LocalServerPort int port;
  @Autowired HostService hosts;
  @Autowired TenantService tenants;
  @Autowired NetworkService networks;
  @Autowired VmService vms;
  @Autowired HostTableService tables;
  @Autowired ExternalHostService external;
  @TempDir Path state;
  private final List<HostId> registered = new java.util.ArrayList<>();

  /**
   * The application context is shared with other tests: a host whose agent process has exited must
   * not stay READY, or their VMs land on a host nobody serves.
   */
  @AfterEach
  void takeRegisteredHostsDown() {
    registered.forEach(id -> hosts.setHostState(OPERATOR, id, HostState.DOWN));
  }

  private AgentProcess agent(RegisteredHost h, String fabric, String... extra) throws Exception {
    List<String> args =
        new java.util.ArrayList<>(
            List.of(
                "--fabric=" + fabric,
                "--token=" + h.agentToken(),
                "--host-id=" + h.host().id(),
                "--state-dir=" + state,
                "--http=127.0.0.1:0"));
    args.addAll(List.of(extra));
    return AgentProcess.start(AgentOptions.parse(args.toArray(String[]::new), Map.of()));
  }

  private static void await(BooleanSupplier condition, String what) throws InterruptedException {
    long deadline = System.nanoTime() + 20_000_000_000L;
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.sleep(50);
    }
  }

  @Test
  void anAgentProcessServesItsHostAndRestartsFromItsKeptTable() throws Exception {
    String tag = UUID.randomUUID().toString().substring(0, 8);
    String ln =
        hosts
            .createLogicalNetwork(
                OPERATOR, new NewLogicalNetwork("proc-ln-" + tag, "10.78.0.0/16", "NVGRE", null))
            .id()
            .toString();
    RegisteredHost h = hosts.registerHost(OPERATOR, new NewHost("proc-h-" + tag, ln, null, 8));
    registered.add(h.host().id());
    String fabric = "http://127.0.0.1:" + port;
    AgentProcess first = agent(h, fabric);
    try {
      await(
          () -> hosts.getHost(OPERATOR, h.host().id()).state() == HostState.READY,
          "the host READY after the agent's first report");
      TenantId tenant =
          tenants
              .signup(
                  new SignupRequest("Proc " + tag, "p-" + tag + "@example.com", "Password-123456"))
              .id();
      Caller t =
          new Caller(new AccountId(UUID.randomUUID()), "t", Role.TENANT_ADMIN, Optional.of(tenant));
      var net = networks.createVmNetwork(t, tenant, "n");
      var s =
          networks.createSubnet(
              t, tenant, net.id(), new NewSubnet("s", "10.5.0.0/24", null, List.of()));
      Vm vm =
          vms.createVm(
              t,
              tenant,
              new NewVm("vm", List.of(new NewVnic(s.id().toString(), "STATIC", "10.5.0.10"))));
      if (!vms.getVm(OPERATOR, tenant, vm.id())
          .placement()
          .orElseThrow()
          .hostId()
          .equals(h.host().id())) {
        vms.migrate(OPERATOR, vm.id(), h.host().id());
      }
      String port0 = vm.nics().getFirst().id().toString();
      external.register(
          OPERATOR,
          new NewExternalHost(
              "proc-ext-" + tag,
              ln,
              "10.78.250.1",
              List.of(
                  new NewExternalMachine(s.id().toString(), "10.5.0.40", "52:54:00:05:00:40"))));
      await(
          () ->
              hasPort(first.agent().table(), port0)
                  && record(first.agent().table(), "10.5.0.40").isPresent(),
          "the VM's port and the external machine in the agent's table");
      HostTable applied = first.agent().table();
      assertThat(applied.overlayMtu()).as("1500 less NVGRE's 42").isEqualTo(1458);
      assertThat(record(applied, "10.5.0.40").orElseThrow().pa().toString())
          .isEqualTo("10.78.250.1");
      await(
          () ->
              tables.lastReport(OPERATOR, h.host().id()).orElseThrow().generation()
                  == first.agent().generation(),
          "the fabric to record what the agent applied");
      assertThat(tables.lastReport(OPERATOR, h.host().id()).orElseThrow().lastRejection()).isNull();
    } finally {
      first.close();
    }

    // Restart with the fabric out of reach: the kept table is in force at once.
    long generation = tables.lastReport(OPERATOR, h.host().id()).orElseThrow().generation();
    try (AgentProcess second = agent(h, "http://127.0.0.1:9")) {
      assertThat(second.agent().generation()).isEqualTo(generation);
      assertThat(record(second.agent().table(), "10.5.0.40")).isPresent();
    }

    // The same host, now told its PA must be on the loopback interface, where it is not.
    try (AgentProcess third = agent(h, fabric, "--underlay-interface=lo")) {
      await(
          () -> {
            String r = tables.lastReport(OPERATOR, h.host().id()).orElseThrow().lastRejection();
            return r != null && r.contains("not configured on lo");
          },
          "the refusal reported to the fabric");
      assertThat(tables.lastReport(OPERATOR, h.host().id()).orElseThrow().lastRejection())
          .contains(h.host().providerAddress())
          .contains("127.0.0.1/8");
    }
  }

  private static boolean hasPort(HostTable t, String portId) {
    return t.networks().stream()
        .flatMap(n -> n.ports().stream())
        .anyMatch(p -> p.portId().equals(portId));
  }

  private static Optional<LookupRecord> record(HostTable t, String ca) {
    return t.networks().stream()
        .flatMap(n -> n.lookupRecords().stream())
        .filter(r -> r.ca().toString().equals(ca))
        .findFirst();
  }
}
