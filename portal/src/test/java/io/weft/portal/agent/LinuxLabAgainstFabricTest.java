package io.weft.portal.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.weft.dataplane.agent.AgentProcess;
import io.weft.dataplane.lab.Lab;
import io.weft.dataplane.table.HostTable;
import io.weft.fabric.Caller;
import io.weft.fabric.HostService;
import io.weft.fabric.Subnet;
import io.weft.fabric.TenantId;
import io.weft.fabric.VmService;
import io.weft.fabric.tables.HostTableService;
import io.weft.fabric.tables.MigrationRecord;
import io.weft.portal.H2ApplicationTest;
import io.weft.portal.agent.FabricLab.LabHost;
import io.weft.portal.agent.FabricLab.LabVm;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The lab's hosts through faults ({@link LinuxLabCloud}: real Linux hosts driven by the real fabric
 * over HTTP): the fabric "stops" for the agents when the {@link FabricProxy} in front of it closes
 * its port and resets every connection, which is what a killed fabric looks like from a host; the
 * test meanwhile changes the model through the fabric's services, as an operator would. Then a
 * killed agent, a live migration, and real DHCP clients.
 */
@H2ApplicationTest
@ExtendWith(LinuxLabCloud.ClosedAtTheEnd.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Order(1)
class LinuxLabAgainstFabricTest {

  static final Caller OPERATOR = LinuxLabCloud.OPERATOR;

  @Autowired ApplicationContext context;

  private LinuxLabCloud cloud;
  private FabricLab lab;
  private LabHost h1;
  private LabHost h2;
  private LabHost h3;
  private AgentProcess agent1;
  private AgentProcess agent3;
  private Process agent2;
  private TenantId tenant;
  private Path state;
  @Autowired HostService hosts;
  @Autowired VmService vms;
  @Autowired HostTableService tables;
  @Autowired JdbcClient jdbc;
  private Subnet subnet;
  private LabVm a;
  private LabVm b;
  private LabVm m;
  private LabVm u;
  private LabVm w;

  @BeforeAll
  void cloud() throws Exception {
    cloud = LinuxLabCloud.start(context);
    lab = cloud.lab;
    h1 = cloud.h1;
    h2 = cloud.h2;
    h3 = cloud.h3;
    agent1 = cloud.agent1;
    agent2 = cloud.agent2;
    agent3 = cloud.agent3;
    tenant = cloud.tenant;
    state = cloud.state;
    subnet = cloud.subnet;
    a = cloud.a;
    b = cloud.b;
    m = cloud.m;
    u = cloud.u;
    w = cloud.w;
  }

  @AfterAll
  void done() throws Exception {
    LinuxLabCloud.finished(getClass());
  }

  @Test
  @Order(1)
  void vmTrafficFlowsWhileTheFabricIsDownAndTheAgentsCatchUpWhenItReturns() throws Exception {
    LabVm c;
    lab.proxy().stop();
    try {
      Lab.Result pings = lab.ping(a, b.address(), "-D", "-c", "100", "-i", "0.01", "-W", "1");
      assertThat(PingLog.parse(pings.output()).lost()).as(pings.output()).isEmpty();
      // A change made while no agent can reach the fabric: a new VM, c, on h3.
      c = lab.vm(cloud.admin, tenant, subnet, "10.6.0.12", h3);
      lab.placeOn(c, h3);
      assertThat(agent1.agent().generation()).isLessThan(tables.generation(h1.id()));
      assertThat(agent3.agent().generation()).isLessThan(tables.generation(h3.id()));
      assertThat(lab.ping(a, c.address(), "-c", "1", "-W", "1").ok()).isFalse();
    } finally {
      lab.proxy().start();
    }
    long back = System.nanoTime();
    assertThat(lab.reaches(a, c.address())).as("a reaches c once the fabric is back").isTrue();
    FabricLab.await(
        () ->
            agent1.agent().generation() == tables.generation(h1.id())
                && agent3.agent().generation() == tables.generation(h3.id())
                && reported(h2) == tables.generation(h2.id()),
        "every agent at its intended generation");
    System.out.printf(
        "fabric back: agents caught up and a reached c after %d ms%n",
        (System.nanoTime() - back) / 1_000_000);
    HttpResponse<String> metrics =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + agent1.httpPort() + "/metrics"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(metrics.body())
        .as("the linux backend's I/O errors among the agent's metrics")
        .contains("weft_agent_tap_write_errors_total ")
        .contains("weft_agent_underlay_send_errors_total ");
  }

  @Test
  @Order(2)
  void aKilledAgentForwardsAgainWithinASecondBeforeTheFabricAnswers() throws Exception {
    FabricLab.await(
        () -> reported(h2) == tables.generation(h2.id()), "h2 to report its current table");
    agent2.destroyForcibly(); // SIGKILL: no shutdown hook, nothing saved on the way out
    agent2.waitFor();
    lab.proxy().stop();
    Instant lastSeen = hosts.getHost(OPERATOR, h2.id()).lastSeenAt();
    try {
      Process pinger =
          lab.lab().spawn(a.ns(), "ping", "-D", "-i", "0.01", "-c", "250", "-W", "1", b.address());
      Thread.sleep(300);
      long launched = System.currentTimeMillis();
      agent2 = cloud.agent2 = lab.spawnAgent(h2);
      System.out.println("agent h2 launched at " + Instant.ofEpochMilli(launched));
      String output = new String(pinger.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      pinger.waitFor();
      PingLog log = PingLog.parse(output);
      assertThat(log.lost()).as("pings while no agent served h2").hasSizeGreaterThan(10);
      PingLog.Reply first = log.firstReplyAfter(launched);
      assertThat(first).as(output + "\n" + lab.agentLog(h2)).isNotNull();
      double millis = first.receivedAtMillis() - launched;
      System.out.printf(
          "killed agent restarted: first reply %.0f ms after the new process was launched%n",
          millis);
      assertThat(millis).as(lab.agentLog(h2)).isLessThan(1000);
      assertThat(hosts.getHost(OPERATOR, h2.id()).lastSeenAt())
          .as("the fabric heard nothing from h2 meanwhile")
          .isEqualTo(lastSeen);
    } finally {
      lab.proxy().start();
    }
    long back = System.nanoTime();
    FabricLab.await(
        () -> !lastSeen.equals(hosts.getHost(OPERATOR, h2.id()).lastSeenAt()),
        "the restarted agent to report once the fabric is back");
    System.out.printf(
        "fabric back: the restarted agent reported after %d ms%n",
        (System.nanoTime() - back) / 1_000_000);
  }

  @Test
  @Order(3)
  void aLiveMigrationLosesNoMorePingsThanTheVmsReattachmentWindow() throws Exception {
    assertThat(lab.reaches(a, m.address())).isTrue();
    Process pinger =
        lab.lab().spawn(a.ns(), "ping", "-D", "-i", "0.01", "-c", "300", "-W", "1", m.address());
    Thread.sleep(500);
    vms.migrate(OPERATOR, m.vm().id(), h3.id());
    // Make-before-break: h3 gets the port first, then the peers (h1, h2) point m at h3. The VM
    // moves ("re-attaches") once the pinging peer's agent applied the switch.
    FabricLab.await(() -> paOf(agent1.agent().table(), m.address()).equals(h3.pa()), "h1's switch");
    long windowStart = System.currentTimeMillis();
    Path batch = state.resolve("reattach.ip");
    Files.writeString(
        batch,
        """
        link set %1$s down
        address flush dev %1$s
        address add %3$s/24 dev %2$s
        link set %2$s up
        route replace default via %4$s dev %2$s
        """
            .formatted(h2.tap(), h3.tap(), m.address(), m.gateway()));
    lab.lab().ip(m.ns(), "-batch", batch.toString());
    long windowEnd = System.currentTimeMillis();
    String output = new String(pinger.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    pinger.waitFor();
    PingLog log = PingLog.parse(output);
    long window = windowEnd - windowStart;
    List<Integer> lost = log.lost();
    System.out.printf(
        "migration: re-attachment window %d ms, %d of %d pings lost %s%n",
        window, lost.size(), log.transmitted(), lost);
    assertThat(lost.size()).as(output).isLessThanOrEqualTo((int) (window / 10) + 2);
    for (int seq : lost) {
      assertThat(log.sentAtMillis(seq))
          .as("ping %d lost outside the window [%d, %d]", seq, windowStart, windowEnd)
          .isBetween(windowStart - 30.0, windowEnd + 30.0);
    }
    FabricLab.await(
        () -> migrationOf(m).map(r -> r.sourceAppliedAt() != null).orElse(false),
        "the source to apply the drop");
    MigrationRecord r = migrationOf(m).orElseThrow();
    System.out.println("migration timeline: " + r);
    assertThat(r.phase()).isEqualTo("DONE");
    assertThat(r.peers()).as("h1 and h2 switched").isEqualTo(2);
    assertThat(
            List.of(
                r.startedAt(),
                r.destAppliedAt(),
                r.switchedAt(),
                r.peersAppliedAt(),
                r.sourceDroppedAt(),
                r.sourceAppliedAt()))
        .doesNotContainNull()
        .isSorted();
    assertThat(r.staleWindowMillis()).isZero();
  }

  @Test
  @Order(4)
  void realDhcpClientsGetAndRenewTheirLeasesAndTheFabricRecordsTheAddresses() throws Exception {
    DhcpClients clients = new DhcpClients(lab.lab(), state);
    Path udhcpcOut = state.resolve("udhcpc.out");
    Path dhclientOut = state.resolve("dhclient.out");
    Process udhcpc = clients.udhcpc(u.ns(), h1.tap(), udhcpcOut);
    Process dhclient = clients.dhclient(w.ns(), h3.tap(), dhclientOut);
    try {
      String bound = DhcpClients.awaitLine(udhcpcOut, "bound ");
      String uAddress = DhcpClients.field(bound, "ip");
      assertThat(bound).contains("lease=60", "router=10.6.0.1", "mtu=" + FabricLab.MTU);
      FabricLab.await(() -> leaseExpiry(u, uAddress).isPresent(), "udhcpc's lease recorded");
      Instant leased = leaseExpiry(u, uAddress).orElseThrow();
      Thread.sleep(300); // so the renewed lease surely ends later
      lab.lab().exec(u.ns(), FabricLab.T, "kill", "-USR1", Long.toString(udhcpc.pid()));
      assertThat(DhcpClients.field(DhcpClients.awaitLine(udhcpcOut, "renew "), "ip"))
          .isEqualTo(uAddress);
      FabricLab.await(
          () -> leaseExpiry(u, uAddress).map(e -> e.isAfter(leased)).orElse(false),
          "the fabric to record udhcpc's renewal");

      String wAddress = DhcpClients.field(DhcpClients.awaitLine(dhclientOut, "BOUND "), "ip");
      assertThat(DhcpClients.field(DhcpClients.awaitLine(dhclientOut, "RENEW "), "ip"))
          .isEqualTo(wAddress);
      FabricLab.await(() -> leaseExpiry(w, wAddress).isPresent(), "dhclient's lease recorded");

      for (var lease : List.of(Map.entry(u, uAddress), Map.entry(w, wAddress))) {
        LabVm vm = lease.getKey();
        assertThat(tenantGet("/api/v1/tenants/" + tenant.value() + "/vms/" + vm.vm().id().value()))
            .as("the tenant's REST view of the VM shows the address its client got")
            .contains("\"address\":\"" + lease.getValue() + "\"");
        assertThat(lab.reaches(vm, a.address())).isTrue();
      }
    } finally {
      udhcpc.destroyForcibly();
      dhclient.destroyForcibly();
    }
  }

  /** When the lease the agent reported for {@code vm} runs out, as the fabric recorded it. */
  private Optional<Instant> leaseExpiry(LabVm vm, String address) {
    return jdbc.sql(
            "SELECT lease_expires_at FROM recon_observation WHERE port_id = :port"
                + " AND address = :address AND kind = 'LEASE'")
        .param("port", vm.portId())
        .param("address", address)
        .query((rs, n) -> rs.getTimestamp(1).toInstant())
        .optional();
  }

  /** GET as the tenant's administrator (HTTP Basic); the body. */
  private String tenantGet(String path) throws Exception {
    String basic =
        Base64.getEncoder()
            .encodeToString(
                (cloud.adminEmail + ":" + LinuxLabCloud.PASSWORD).getBytes(StandardCharsets.UTF_8));
    HttpResponse<String> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + cloud.port + path))
                    .header("Authorization", "Basic " + basic)
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return response.body();
  }

  private long reported(LabHost h) {
    return cloud.reported(h);
  }

  private Optional<MigrationRecord> migrationOf(LabVm vm) {
    return tables.migrations(OPERATOR, 50).stream()
        .filter(r ->
            r.vmId().equals(vm.vm().id()) && r.from().equals(h2.id()) && r.to().equals(h3.id()))
        .findFirst();
  }

  private static String paOf(HostTable t, String ca) {
    return LinuxLabCloud.paOf(t, ca);
  }
}
