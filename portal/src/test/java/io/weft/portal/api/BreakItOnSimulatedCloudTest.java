package io.weft.portal.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.weft.dataplane.codec.FrameWriter;
import io.weft.dataplane.codec.Icmpv4;
import io.weft.dataplane.sim.SimulatedHost;
import io.weft.dataplane.table.HostTable;
import io.weft.dataplane.table.IpAddress;
import io.weft.dataplane.table.MacAddress;
import io.weft.dataplane.table.TableMessage;
import io.weft.fabric.tables.HostTableService;
import io.weft.portal.Hops;
import io.weft.portal.api.SimulatedCloud.LiveVm;
import io.weft.portal.simulation.SimulatedCloudRunner;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * Issue 12's "break it on purpose": on the simulated cloud (the context of {@link
 * ProbeOnSimulatedCloudTest}), each test breaks one thing and checks that the tenant's trace and
 * live probe name the cause, without host names or PAs. A "paused" agent stops following the fabric
 * (no tables, reports or commands) while its switch forwards on its last table; a "gone" one has
 * also not been heard from for ten minutes (its last-seen time is set back, the agent being
 * paused). The probe always sends from the vNIC's own address, so a spoofed source is shown live by
 * the drop record of the VM's real frame instead (an oversized packet by both). Every test undoes
 * what it broke, since the context is shared.
 */
@SimulatedCloudTest
class BreakItOnSimulatedCloudTest {

  @LocalServerPort int port;
  @Autowired SimulatedCloudRunner simulation;
  @Autowired DataSource dataSource;
  @Autowired HostTableService tables;

  record Tenant(ApiTenant tenant, String network, String subnet, String cidrBase) {
    ApiClient api() {
      return tenant.api();
    }

    String path(String rest) {
      return tenant.path(rest);
    }
  }

  private SimulatedCloud cloud() {
    return new SimulatedCloud(port, simulation);
  }

  private ApiClient operator() {
    return cloud().operator();
  }

  @Test
  void traceAndProbeAgreeOnTheWorkingPathHopByHop() {
    Tenant t = tenant("10.61.0");
    LiveVm a = vm(t, "ok-a", 10);
    LiveVm b = vmOnAnotherHost(t, "ok-b", 11, a);
    JsonNode trace = trace(t, a, b.address(), Map.of());
    JsonNode probe = probe(t, a, b.address());
    assertThat(trace.path("reachable").asBoolean()).as(trace.toString()).isTrue();
    assertThat(probe.path("reached").asBoolean()).as(probe.toString()).isTrue();
    List<String> traced = Hops.traced(trace);
    List<String> probed = Hops.probedBetweenHosts(probe);
    assertThat(traced)
        .as("the trace's hops")
        .containsExactly(
            "source host REQUEST ENCAPSULATE",
            "destination host REQUEST DECAPSULATE",
            "destination host REQUEST DELIVER",
            "destination host REPLY ENCAPSULATE",
            "source host REPLY DECAPSULATE",
            "source host REPLY DELIVER");
    assertThat(probed).as("the probe's hops, as the agents saw them").isEqualTo(traced);
  }

  @Test
  void aHostWhoseAgentIsPausedIsNamedAsBehindByTraceAndProbe() {
    Tenant t = tenant("10.62.0");
    LiveVm a = vm(t, "paused-a", 10);
    LiveVm b = vmOnAnotherHost(t, "paused-b", 11, a);
    SimulatedHost source = simulation.host(a.host()).orElseThrow();
    source.pauseAgent();
    try {
      // A change the source host must apply (a new record in its VM network) that it never takes.
      create(t, "paused-c", 12);
      JsonNode trace =
          awaitTrace(
              t, a, b.address(), "the source host behind", n -> n.toString().contains("latest"));
      assertThat(trace.path("summary").asString())
          .contains("the source host has not applied your latest change yet");
      assertThat(fixes(trace)).anyMatch(f -> f.startsWith("wait a few seconds and trace again"));

      JsonNode probe = probe(t, a, b.address(), 500);
      assertThat(probe.path("reached").asBoolean()).isFalse();
      assertThat(probe.path("summary").asString())
          .startsWith("No answer: the agent of the source VM's host did not take the probe")
          .contains("the agent is gone, paused or cut off from the fabric")
          .contains("that host has not applied your latest change yet");
      assertHidden(trace, probe);
    } finally {
      source.resumeAgent();
    }
    awaitTrace(t, a, b.address(), "the host caught up", n -> n.path("blockers").isEmpty());
  }

  @Test
  void aHostWhoseAgentIsGoneIsNamedByTraceAndProbe() {
    Tenant t = tenant("10.63.0");
    LiveVm a = vm(t, "gone-a", 10);
    LiveVm b = vmOnAnotherHost(t, "gone-b", 11, a);
    SimulatedHost source = simulation.host(a.host()).orElseThrow();
    source.pauseAgent();
    // Its last polls count as signs of life (TABLE-FORMAT.md, "Liveness"): written now, not after.
    tables.writeAgentSightings();
    try {
      JdbcClient.create(dataSource)
          .sql("UPDATE fabric_host SET last_seen_at = :at WHERE id = :id")
          .param("at", Timestamp.from(Instant.now().minus(Duration.ofMinutes(10))))
          .param("id", UUID.fromString(a.host()))
          .update();
      JsonNode trace = trace(t, a, b.address(), Map.of());
      assertThat(trace.path("summary").asString())
          .contains("the agent on the source host has not been heard from for 6");
      assertThat(fixes(trace))
          .anyMatch(f -> f.contains("the cloud's operators must restart the host's agent"));

      JsonNode probe = probe(t, a, b.address(), 500);
      assertThat(probe.path("summary").asString())
          .startsWith("No answer: the agent of the source VM's host did not take the probe")
          .contains("(last heard from 6")
          .contains("the agent is gone, paused or cut off from the fabric");
      assertHidden(trace, probe);
    } finally {
      source.resumeAgent();
    }
    awaitTrace(t, a, b.address(), "the agent back", n -> n.path("blockers").isEmpty());
  }

  @Test
  void aMissingLookupRecordOnAHostIsNamedByTraceAndProbe() {
    Tenant t = tenant("10.64.0");
    LiveVm a = vm(t, "missing-a", 10);
    LiveVm b = vmOnAnotherHost(t, "missing-b", 11, a);
    SimulatedHost source = simulation.host(a.host()).orElseThrow();
    HostTable intended = source.agent().table();
    source
        .agent()
        .apply(new TableMessage.Snapshot(SimulatedCloud.withoutRecord(intended, b.address())));
    assertThat(source.tableClient().reportStatus()).isTrue();
    try {
      JsonNode trace = trace(t, a, b.address(), Map.of());
      JsonNode applied = trace.path("applied");
      assertThat(applied.path("agrees").asBoolean()).as(applied.toString()).isFalse();
      assertThat(applied.path("summary").asString())
          .contains("the source host applies other entries for this VM network");
      assertThat(applied.path("trace").path("summary").asString())
          .contains("no lookup record for " + b.address());

      JsonNode probe = probe(t, a, b.address());
      assertThat(probe.path("reached").asBoolean()).isFalse();
      assertThat(probe.path("summary").asString())
          .startsWith("Dropped on the source host: the VM's ARP for " + b.address())
          .contains("no lookup record for " + b.address());
      assertHidden(trace, probe);
    } finally {
      source.agent().apply(new TableMessage.Snapshot(intended));
      source.tableClient().reportStatus();
    }
  }

  @Test
  void anAddressInAnotherVmNetworkIsNamedByTraceAndProbe() {
    Tenant t = tenant("10.65.0");
    LiveVm a = vm(t, "net-a", 10);
    var other = t.api().post(t.path("/vm-networks"), Map.of("name", "backoffice"));
    var subnet =
        t.api()
            .post(
                t.path("/vm-networks/" + other.id() + "/subnets"),
                Map.of("name", "bo", "cidr", "10.66.0.0/24"));
    LiveVm d = vm(t, "net-d", subnet.id(), "10.66.0.10");
    String why = "10.66.0.10 belongs to VM net-d in VM network backoffice, not in prod";

    JsonNode trace = trace(t, a, d.address(), Map.of());
    assertThat(trace.path("reachable").asBoolean()).isFalse();
    assertThat(trace.path("summary").asString()).contains(why);
    assertThat(fixes(trace)).anyMatch(f -> f.startsWith("give both VMs a vNIC in the same"));

    JsonNode probe = probe(t, a, d.address());
    assertThat(probe.path("reached").asBoolean()).isFalse();
    assertThat(probe.path("summary").asString())
        .startsWith("Dropped on source host (request): NO_ROUTE")
        .contains(why)
        .contains("VM networks never route to each other");
    assertHidden(trace, probe);
  }

  @Test
  void aStoppedVmIsNamedByTraceAndProbe() {
    Tenant t = tenant("10.67.0");
    LiveVm a = vm(t, "stop-a", 10);
    ApiClient operator = operator();
    List<String> ready = new ArrayList<>();
    for (JsonNode h : operator.get("/api/v1/hosts").body()) {
      if (h.path("state").asString().equals("READY")) {
        ready.add(h.path("id").asString());
      }
    }
    String stopped = null;
    try {
      // No ready host: a new VM waits, placed on none (Weft's "stopped").
      ready.forEach(h -> operator.put("/api/v1/hosts/" + h + "/state", Map.of("state", "DOWN")));
      ApiClient.Response created = create(t, "stop-e", 50);
      stopped = created.id();
      assertThat(created.body().path("state").asString()).isEqualTo("PENDING");
      String nic = created.body().path("nics").get(0).path("id").asString();

      JsonNode trace = trace(t, a, t.cidrBase() + ".50", Map.of());
      assertThat(trace.path("summary").asString())
          .contains("the destination VM stop-e is stopped (PENDING: on no host)");
      assertThat(fixes(trace)).anyMatch(f -> f.startsWith("start it"));

      JsonNode probe = probe(t, a, t.cidrBase() + ".50");
      assertThat(probe.path("summary").asString())
          .contains("no lookup record for " + t.cidrBase() + ".50")
          .contains("the destination VM stop-e is stopped (PENDING: on no host)");

      LiveVm fromStopped = new LiveVm(stopped, nic, t.cidrBase() + ".50", null, null, null);
      JsonNode refused = probe(t, fromStopped, a.address());
      assertThat(refused.path("summary").asString())
          .isEqualTo("Not sent: the source VM stop-e is not running on any host: start it.");
      JsonNode traceFrom = trace(t, fromStopped, a.address(), Map.of());
      assertThat(traceFrom.path("summary").asString())
          .contains("The source VM stop-e is stopped (PENDING: on no host)");
      assertHidden(trace, probe);
    } finally {
      if (stopped != null) {
        t.api().delete(t.path("/vms/" + stopped));
      }
      ready.forEach(h -> operator.put("/api/v1/hosts/" + h + "/state", Map.of("state", "READY")));
    }
  }

  @Test
  void aLiveMigrationInFlightIsNotedByTraceAndProbeWhichStillReach() {
    Tenant t = tenant("10.68.0");
    LiveVm a = vm(t, "mig-a", 10);
    LiveVm b = vmOnAnotherHost(t, "mig-b", 11, a);
    ApiClient operator = operator();
    String third = null;
    for (JsonNode h : operator.get("/api/v1/hosts").body()) {
      String id = h.path("id").asString();
      if (!id.equals(a.host()) && !id.equals(b.host()) && simulation.host(id).isPresent()) {
        third = id;
      }
    }
    assertThat(third).as("a third simulated host").isNotNull();
    SimulatedHost target = simulation.host(third).orElseThrow();
    target.pauseAgent();
    try {
      // The destination never applies the VM's port, so the migration waits there.
      var moved = operator.post("/api/v1/vms/" + b.id() + "/migrate", Map.of("hostId", third));
      assertThat(moved.status()).as(moved.toString()).isEqualTo(200);
      // Once the hosts on the path applied the migration's first step, the path is clean.
      JsonNode trace =
          awaitTrace(
              t,
              a,
              b.address(),
              "the migration noted on a clean path",
              n -> n.path("reachable").asBoolean() && n.path("notes").toString().contains("mig"));
      assertThat(trace.path("notes").toString()).contains("VM mig-b is being live-migrated (");

      JsonNode probe = probe(t, a, b.address());
      assertThat(probe.path("reached").asBoolean()).as(probe.toString()).isTrue();
      assertThat(probe.path("notes").toString()).contains("VM mig-b is being live-migrated (");
      assertHidden(trace, probe);

      JsonNode asOperator =
          operator
              .post(
                  "/api/v1/diagnostics/trace",
                  Map.of("sourceVnicId", a.nic(), "destination", b.address()))
              .body();
      assertThat(asOperator.path("notes").toString()).contains(" to sim-host-");
    } finally {
      target.resumeAgent();
    }
    awaitTrace(
        t,
        a,
        b.address(),
        "the migration done",
        n -> n.path("notes").isEmpty() && n.path("reachable").asBoolean());
  }

  @Test
  void aSpoofedSourceIsNamedByTheTraceAndByTheDropRecordOfTheVmsFrame() {
    Tenant t = tenant("10.69.0");
    LiveVm a = vm(t, "spoof-a", 10);
    LiveVm b = vmOnAnotherHost(t, "spoof-b", 11, a);
    String spoofed = t.cidrBase() + ".66";
    JsonNode trace = trace(t, a, b.address(), Map.of("sourceAddress", spoofed));
    assertThat(trace.path("summary").asString())
        .contains("port security lets the vNIC send only from " + a.address() + ", not " + spoofed);

    sendFromVm(a, b, spoofed, 56);
    JsonNode drop = awaitDrop(t, "SPOOFED_SOURCE");
    assertThat(drop.path("vnicId").asString()).isEqualTo(a.nic());
    assertThat(drop.path("source").asString()).isEqualTo(spoofed);
    assertThat(drop.toString()).doesNotContain("sim-host").doesNotContain("192.168.100.");
  }

  @Test
  void anMtuTooSmallForTheEncapsulationIsNamedByTheTraceAndByTheDropRecord() {
    Tenant t = tenant("10.70.0");
    LiveVm a = vm(t, "mtu-a", 10);
    LiveVm b = vmOnAnotherHost(t, "mtu-b", 11, a);
    JsonNode trace = trace(t, a, b.address(), Map.of("size", 1500));
    assertThat(trace.path("summary").asString())
        .contains("a 1500-byte packet exceeds the overlay MTU 1458")
        .contains("NVGRE encapsulation overhead");
    assertThat(fixes(trace)).anyMatch(f -> f.startsWith("send packets of at most 1458 bytes"));
    assertThat(trace.path("summary").asString())
        .as("past the blocker it still reaches")
        .startsWith("Reachable on the fabric's intended tables, but");

    // A probe of that size is dropped where the encapsulation does not fit; a default one passes.
    JsonNode probe = probe(t, a, b.address(), 2000, 1500);
    assertThat(probe.path("reached").asBoolean()).isFalse();
    assertThat(probe.path("summary").asString())
        .startsWith("Dropped on source host (request): TOO_BIG")
        .contains("exceeds the overlay MTU");
    assertThat(probe(t, a, b.address()).path("reached").asBoolean()).isTrue();
    assertHidden(trace, probe);

    // A 1500-byte IP packet (1472 bytes of ICMP payload): the host cannot encapsulate it.
    sendFromVm(a, b, a.address(), 1472);
    JsonNode drop = awaitDrop(t, "TOO_BIG");
    assertThat(drop.path("vnicId").asString()).isEqualTo(a.nic());
    assertThat(drop.path("destination").asString()).isEqualTo(b.address());
  }

  // --- breaking things ---

  /** A frame as if the VM sent it: an echo request from {@code source} to {@code to}. */
  private void sendFromVm(LiveVm from, LiveVm to, String source, int payload) {
    byte[] frame = new byte[payload + 64];
    int len =
        FrameWriter.icmpEchoV4(
            frame,
            0,
            MacAddress.parse(to.mac()).value(),
            MacAddress.parse(from.mac()).value(),
            IpAddress.parse(source).v4Bits(),
            IpAddress.parse(to.address()).v4Bits(),
            Icmpv4.ECHO_REQUEST,
            0x4242,
            1,
            payload);
    simulation
        .host(from.host())
        .orElseThrow()
        .backend()
        .send(from.nic(), Arrays.copyOf(frame, len));
  }

  // --- asking ---

  private JsonNode trace(Tenant t, LiveVm from, String to, Map<String, Object> extra) {
    Map<String, Object> body = new HashMap<>(extra);
    body.put("sourceVnicId", from.nic());
    body.put("destination", to);
    ApiClient.Response r = t.api().post("/api/v1/diagnostics/trace", body);
    assertThat(r.status()).as(r.toString()).isEqualTo(200);
    return r.body();
  }

  private JsonNode awaitTrace(
      Tenant t, LiveVm from, String to, String what, java.util.function.Predicate<JsonNode> until) {
    JsonNode[] last = new JsonNode[1];
    await(
        what,
        () -> {
          last[0] = trace(t, from, to, Map.of());
          return until.test(last[0]);
        });
    return last[0];
  }

  private JsonNode probe(Tenant t, LiveVm from, String to) {
    return probe(t, from, to, 2000);
  }

  private JsonNode probe(Tenant t, LiveVm from, String to, int timeoutMs) {
    return probe(t, from, to, timeoutMs, 84);
  }

  private JsonNode probe(Tenant t, LiveVm from, String to, int timeoutMs, int size) {
    ApiClient.Response started =
        t.api()
            .post(
                "/api/v1/diagnostics/probes",
                Map.of(
                    "sourceVnicId",
                    from.nic(),
                    "destination",
                    to,
                    "timeoutMs",
                    timeoutMs,
                    "size",
                    size));
    assertThat(started.status()).as(started.toString()).isEqualTo(202);
    ApiClient.Response done =
        t.api()
            .get("/api/v1/diagnostics/probes/" + started.body().path("id").asString() + "?wait=10");
    assertThat(done.status()).as(done.toString()).isEqualTo(200);
    assertThat(done.body().path("state").asString()).as(done.toString()).isEqualTo("DONE");
    return done.body();
  }

  private JsonNode awaitDrop(Tenant t, String reason) {
    JsonNode[] found = new JsonNode[1];
    await(
        reason + " in the tenant's drop list",
        () -> {
          for (JsonNode d :
              t.api()
                  .get("/api/v1/diagnostics/drops?vmNetwork=" + t.network())
                  .body()
                  .path("drops")) {
            if (reason.equals(d.path("reason").asString())) {
              found[0] = d;
            }
          }
          return found[0] != null;
        });
    return found[0];
  }

  private static List<String> fixes(JsonNode trace) {
    List<String> out = new ArrayList<>();
    trace.path("blockers").forEach(b -> out.add(b.path("fix").asString()));
    return out;
  }

  /** A tenant's answers never name a host or a provider address. */
  private static void assertHidden(JsonNode... answers) {
    for (JsonNode a : answers) {
      assertThat(a.toString()).doesNotContain("sim-host").doesNotContain("192.168.100.");
    }
  }

  // --- the cloud ---

  /** A new tenant with VM network "prod" and one subnet {@code base}.0/24. */
  private Tenant tenant(String base) {
    cloud().awaitReadyHosts();
    SimulatedCloud.TenantNetwork n = cloud().tenantNetwork("breakit", "prod", base + ".0/24");
    return new Tenant(n.tenant(), n.network(), n.subnet(), base);
  }

  private ApiClient.Response create(Tenant t, String name, int host) {
    ApiClient.Response r =
        t.api()
            .post(
                t.path("/vms"),
                Map.of(
                    "name",
                    name,
                    "nics",
                    List.of(
                        Map.of(
                            "subnetId",
                            t.subnet(),
                            "addressing",
                            "STATIC",
                            "address",
                            t.cidrBase() + "." + host))));
    assertThat(r.status()).as(r.toString()).isEqualTo(201);
    return r;
  }

  private LiveVm vm(Tenant t, String name, int host) {
    return vm(t, name, t.subnet(), t.cidrBase() + "." + host);
  }

  /** A VM with a static address, once it is alive on its simulated host. */
  private LiveVm vm(Tenant t, String name, String subnet, String address) {
    return cloud().liveVm(t.tenant(), name, subnet, address);
  }

  /**
   * A VM named {@code name} on another host than {@code other}: placement spreads VMs, and one that
   * lands beside {@code other} is deleted and made again.
   */
  private LiveVm vmOnAnotherHost(Tenant t, String name, int host, LiveVm other) {
    for (int i = 0; i < 6; i++) {
      LiveVm vm = vm(t, name, t.subnet(), t.cidrBase() + "." + host);
      if (!vm.host().equals(other.host())) {
        return vm;
      }
      assertThat(t.api().delete(t.path("/vms/" + vm.id())).status()).isEqualTo(204);
      await(name + " gone", () -> simulation.vm(vm.nic()).isEmpty());
    }
    throw new AssertionError("placement kept every VM on one host");
  }

  private static void await(String what, BooleanSupplier condition) {
    ApiWaits.await(what, SimulatedCloud.WAIT, condition);
  }
}
