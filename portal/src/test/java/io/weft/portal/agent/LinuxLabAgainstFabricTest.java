package io.weft.portal.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.weft.dataplane.agent.AgentProcess;
import io.weft.dataplane.lab.Lab;
import io.weft.dataplane.table.HostTable;
import io.weft.dataplane.table.LookupRecord;
import io.weft.dataplane.table.TableJson;
import io.weft.dataplane.table.TableMessage;
import io.weft.dataplane.table.VmNetworkTable;
import io.weft.fabric.Caller;
import io.weft.fabric.HostService;
import io.weft.fabric.HostState;
import io.weft.fabric.NetworkService;
import io.weft.fabric.NewDhcpRange;
import io.weft.fabric.NewSubnet;
import io.weft.fabric.SignupRequest;
import io.weft.fabric.Subnet;
import io.weft.fabric.TenantId;
import io.weft.fabric.TenantService;
import io.weft.fabric.VmService;
import io.weft.fabric.identity.AccountId;
import io.weft.fabric.identity.Role;
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
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * Real Linux hosts driven by the real fabric over HTTP (root, the namespace lab): three agents on
 * the linux backend, h1 and h3 in this JVM, h2 a process of its own. VM a (h1) pings b (h2) and m
 * (h2 → h3); u (h1) and w (h3) get their addresses from real DHCP clients. In the faults, the
 * fabric "stops" for the agents when the {@link FabricProxy} in front of it closes its port and
 * resets every connection, which is what a killed fabric looks like from a host; the test meanwhile
 * changes the model through the fabric's services, as an operator would.
 */
@H2ApplicationTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LinuxLabAgainstFabricTest {

  static final Caller OPERATOR =
      new Caller(new AccountId(UUID.randomUUID()), "op", Role.OPERATOR, Optional.empty());

  @LocalServerPort int port;
  @Autowired HostService hosts;
  @Autowired TenantService tenants;
  @Autowired NetworkService networks;
  @Autowired VmService vms;
  @Autowired HostTableService tables;
  @Autowired JdbcClient jdbc;
  @TempDir static Path state;

  private FabricLab lab;
  private LabHost h1;
  private LabHost h2;
  private LabHost h3;
  private AgentProcess agent1;
  private AgentProcess agent3;
  private Process agent2;
  private static final String PASSWORD = "Password-12345";
  private String adminEmail;
  private Caller admin;
  private TenantId tenant;
  private Subnet subnet;
  private LabVm a;
  private LabVm b;
  private LabVm m;
  private LabVm u;
  private LabVm w;

  @BeforeAll
  void cloud() throws Exception {
    String reason = Lab.unavailableReason();
    if (reason != null) {
      System.out.println("SKIPPED (lab): " + reason);
    }
    assumeTrue(reason == null, reason);
    lab = new FabricLab(OPERATOR, hosts, vms, port, state);
    h1 = lab.addHost("h1", 1);
    h2 = lab.addHost("h2", 2);
    h3 = lab.addHost("h3", 3);
    String tag = UUID.randomUUID().toString().substring(0, 8);
    adminEmail = "lab-" + tag + "@example.com";
    tenant = tenants.signup(new SignupRequest("Lab " + tag, adminEmail, PASSWORD)).id();
    admin =
        new Caller(new AccountId(UUID.randomUUID()), "t", Role.TENANT_ADMIN, Optional.of(tenant));
    var net = networks.createVmNetwork(admin, tenant, "lab");
    subnet =
        networks.createSubnet(
            admin, tenant, net.id(), new NewSubnet("s", "10.6.0.0/24", null, List.of()));
    // The VMs and their namespaces exist before any lab host is READY, so no agent is ever given
    // a port whose tap the "hypervisor" has not made yet.
    a = lab.vm(admin, tenant, subnet, "10.6.0.10", h1);
    b = lab.vm(admin, tenant, subnet, "10.6.0.11", h2);
    m = lab.vm(admin, tenant, subnet, "10.6.0.20", h2);
    networks.addDhcpRange(
        admin,
        tenant,
        subnet.id(),
        new NewDhcpRange("10.6.0.100", "10.6.0.109", 60, List.of("10.6.0.53")));
    u = lab.dhcpVm(admin, tenant, subnet, "lab-udhcpc", h1);
    w = lab.dhcpVm(admin, tenant, subnet, "lab-dhclient", h3);
    agent1 = lab.startAgent(h1);
    agent2 = lab.spawnAgent(h2);
    agent3 = lab.startAgent(h3);
    for (LabHost h : List.of(h1, h2, h3)) {
      FabricLab.await(
          () -> hosts.getHost(OPERATOR, h.id()).state() == HostState.READY, h.name() + " READY");
    }
    lab.placeOn(a, h1);
    lab.placeOn(b, h2);
    lab.placeOn(m, h2);
    lab.placeOn(u, h1);
    lab.placeOn(w, h3);
    assertThat(lab.reaches(a, b.address())).as("a reaches b").isTrue();
    assertThat(lab.reaches(a, m.address())).as("a reaches m").isTrue();
    // h2's first agent recorded a JDK AOT cache; stopped cleanly, it writes it, and every later
    // agent process starts from it, as a host's second and later agent starts would.
    lab.stopCleanly(agent2);
    assertThat(lab.agentCache()).as(lab.agentLog(h2)).exists();
    agent2 = lab.spawnAgent(h2);
    assertThat(lab.reaches(a, b.address())).as("a reaches b again").isTrue();
  }

  @AfterAll
  void stop() throws Exception {
    if (lab != null) {
      lab.close();
    }
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
      c = lab.vm(admin, tenant, subnet, "10.6.0.12", h3);
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
      agent2 = lab.spawnAgent(h2);
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

  @Test
  @Order(5)
  void aProbeThroughTheApiCrossesTwoLinuxHostsAndTheReplyComesFromTheVmsOwnKernel()
      throws Exception {
    assertThat(lab.reaches(a, b.address())).isTrue();
    long repliesBefore = echoRepliesSent(b);
    JsonNode answer =
        tenantApi()
            .probe(Map.of("sourceVnicId", a.portId(), "destination", b.address(), "count", 3));
    System.out.println("probe a -> b on the lab: " + answer);
    assertThat(answer.path("state").asString()).as(answer.toString()).isEqualTo("DONE");
    assertThat(answer.path("reached").asBoolean()).as(answer.toString()).isTrue();
    assertThat(answer.path("summary").asString()).startsWith("Reply received: " + b.address());
    assertThat(answer.path("sent").asInt()).isEqualTo(3);
    assertThat(answer.path("rttMillis")).hasSize(3);
    answer.path("rttMillis").forEach(r -> assertThat(r.asDouble()).isPositive().isLessThan(1000));
    List<String> hops = new ArrayList<>();
    answer
        .path("hops")
        .forEach(h ->
            hops.add(
                h.path("host").asString()
                    + " "
                    + h.path("direction").asString()
                    + " "
                    + h.path("stage").asString()));
    assertThat(hops)
        .as("every switch on the path")
        .contains(
            "source host REQUEST PORT_SECURITY", // received from a's vNIC
            "source host REQUEST ENCAPSULATE",
            "destination host REQUEST DECAPSULATE",
            "destination host REQUEST DELIVER",
            // b's kernel answered: its reply entered h2's switch at b's tap.
            "destination host REPLY PORT_SECURITY",
            "destination host REPLY ENCAPSULATE",
            "source host REPLY DECAPSULATE",
            "source host REPLY DELIVER");
    assertThat(echoRepliesSent(b) - repliesBefore)
        .as("echo replies b's own kernel sent (its /proc/net/snmp)")
        .isGreaterThanOrEqualTo(3);
    assertThat(answer.toString())
        .as("a tenant sees no host name or PA")
        .doesNotContain(Lab.PA_NET)
        .doesNotContain("lab-h");
  }

  @Test
  @Order(6)
  void aProbeToAVmThatSetItsInterfaceDownSaysSo() throws Exception {
    // b (h2) probes a (h1), whose VM took its interface down: h1's agent delivers, the kernel
    // refuses the write, and h1 says why no reply came.
    lab.lab().ip(a.ns(), "link", "set", h1.tap(), "down");
    try {
      JsonNode answer =
          tenantApi()
              .probe(
                  Map.of(
                      "sourceVnicId", b.portId(), "destination", a.address(), "timeoutMs", 1000));
      System.out.println("probe b -> a with a's interface down: " + answer.path("summary"));
      assertThat(answer.path("reached").asBoolean()).as(answer.toString()).isFalse();
      assertThat(answer.path("summary").asString())
          .as(answer.toString())
          .startsWith("No reply: the request reached " + a.address() + "'s vNIC")
          .contains("the VM has set its interface down");
    } finally {
      lab.lab().ip(a.ns(), "link", "set", h1.tap(), "up");
      lab.lab().ip(a.ns(), "route", "replace", "default", "via", a.gateway(), "dev", h1.tap());
    }
    assertThat(lab.reaches(a, b.address())).as("a answers again once its link is up").isTrue();
  }

  @Test
  @Order(7)
  void capturesOnATapAndOnTheUnderlayAreTakenByTheKernelAndTsharkReadsTheVsid() throws Exception {
    String noLibpcap = libpcapMissing();
    if (noLibpcap != null || !Files.isExecutable(Path.of("/usr/bin/tshark"))) {
      String why = noLibpcap != null ? noLibpcap : "tshark is not installed";
      System.out.println("SKIPPED (captures on the lab): " + why);
      assumeTrue(false, why);
    }
    LabApi operator = new LabApi(port, "admin", H2ApplicationTest.ADMIN_PASSWORD);
    LabApi tenantApi = tenantApi();
    var underlay =
        operator.post(
            "/api/v1/diagnostics/captures",
            Map.of(
                "hostId",
                h1.id().toString(),
                "packets",
                4,
                "seconds",
                20,
                "bytes",
                65536,
                "vsid",
                subnet.vsid(),
                "address",
                b.address(),
                "protocol",
                "ICMP"));
    assertThat(underlay.status()).as(underlay.body().toString()).isEqualTo(202);
    var onVnic =
        tenantApi.post(
            "/api/v1/diagnostics/captures",
            Map.of(
                "vnicId",
                a.portId(),
                "packets",
                4,
                "seconds",
                20,
                "bytes",
                65536,
                "protocol",
                "ICMP"));
    assertThat(onVnic.status()).as(onVnic.body().toString()).isEqualTo(202);
    String underlayId = underlay.body().path("id").asString();
    String vnicId = onVnic.body().path("id").asString();
    // a pings m (which the underlay filter leaves out) and b until both captures are full.
    for (int i = 0;
        i < 40
            && !(captureState(operator, underlayId).equals("DONE")
                && captureState(tenantApi, vnicId).equals("DONE"));
        i++) {
      lab.ping(a, m.address(), "-c", "1", "-W", "1");
      lab.ping(a, b.address(), "-c", "2", "-i", "0.05", "-W", "1");
    }
    FabricLab.await(
        () ->
            captureState(operator, underlayId).equals("DONE")
                && captureState(tenantApi, vnicId).equals("DONE"),
        "both captures DONE");
    for (String id : List.of(underlayId, vnicId)) {
      assertThat(commandOf(id).result().path("capturedBy").asString())
          .as("the agent's answer to the CAPTURE command")
          .startsWith("libpcap on ")
          .contains("BPF '");
    }
    Path underlayPcap = operator.download(underlayId, state.resolve("underlay.pcap"));
    List<String> packets = LabApi.tshark(underlayPcap, "gre.key", "ip.src", "ip.dst", "icmp.type");
    System.out.println("underlay capture on h1 (tshark): " + packets);
    assertThat(packets).hasSize(4);
    for (String line : packets) {
      String[] f = line.split("\t");
      assertThat(Long.decode(f[0]) >>> 8).as("gre.key of " + line).isEqualTo(subnet.vsid());
      assertThat(f[1] + " " + f[2])
          .as("outer and inner addresses of " + line)
          .contains(Lab.PA_NET)
          .contains(b.address());
    }
    Path vnicPcap = tenantApi.download(vnicId, state.resolve("vnic.pcap"));
    List<String> frames = LabApi.tshark(vnicPcap, "ip.src", "ip.dst", "icmp.type");
    System.out.println("capture on a's tap (tshark): " + frames);
    assertThat(frames).hasSize(4).allMatch(l -> l.contains("10.6.0."));
  }

  @Test
  @Order(8)
  void aHostWhoseAppliedTableDivergesIsNamedByTheScheduledDriftAudit() throws Exception {
    LabApi operator = new LabApi(port, "admin", H2ApplicationTest.ADMIN_PASSWORD);
    HostTable intended = agent1.agent().table();
    Instant start = Instant.now();
    long t0 = System.nanoTime();
    // h1 forwards with other entries at the fabric's generation (b's record gone) and reports, as
    // an agent does after every table it applies.
    agent1.agent().apply(new TableMessage.Snapshot(without(intended, b.address())));
    assertThat(agent1.tableClient().reportStatus()).isTrue();
    try {
      // What the operators' dashboard reads: the latest scheduled audit.
      FabricLab.await(
          () -> driftOf(operator, h1, start).path("verdict").asString().equals("DIVERGED"),
          "the scheduled drift audit to name h1");
      long millis = (System.nanoTime() - t0) / 1_000_000;
      JsonNode drift = driftOf(operator, h1, start);
      System.out.printf(
          "divergence on h1 named by the scheduled drift audit %d ms after it began: %s%n",
          millis, drift.path("summary").asString());
      assertThat(drift.path("drifting").asBoolean()).isTrue();
      assertThat(drift.path("summary").asString())
          .contains(h1.registered().host().name())
          .contains("its table is not what the fabric sent");
    } finally {
      agent1.agent().apply(new TableMessage.Snapshot(intended));
      agent1.tableClient().reportStatus();
    }
    FabricLab.await(
        () ->
            driftOf(operator, h1, Instant.now().minusSeconds(1))
                .path("verdict")
                .asString()
                .equals("IN_SYNC"),
        "h1 in sync again");
    assertThat(lab.reaches(a, b.address())).isTrue();
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

  private static HostTable without(HostTable t, String ca) {
    List<VmNetworkTable> networks = new ArrayList<>();
    for (VmNetworkTable n : t.networks()) {
      List<LookupRecord> records =
          n.lookupRecords().stream().filter(r -> !r.ca().toString().equals(ca)).toList();
      networks.add(new VmNetworkTable(n.routingDomainId(), n.subnets(), records, n.ports()));
    }
    return new HostTable(
        t.hostId(), t.generation(), t.encapsulation(), t.localPa(), t.overlayMtu(), networks);
  }

  /**
   * Not a test: the lab's probe benchmark ({@code ./weft bench lab-probe [PROBES]} sets {@code
   * weft.bench.lab-probes}). Times probes between VMs on different Linux hosts through the REST
   * API, one at a time, from the POST to the answer of {@code GET …?wait=10}, and the RTT the
   * source switch measured; prints p50/p90/p99/max. The tenant's rate limit (30 a minute) is not
   * what is measured, so each finished probe's row is dated back out of the limit's minute.
   */
  @Test
  @Order(20)
  void probeLatencyAcrossLinuxHosts() throws Exception {
    int probes = Integer.getInteger("weft.bench.lab-probes", 0);
    assumeTrue(probes > 0, "a benchmark, run by ./weft bench lab-probe [PROBES]");
    List<Map<String, Object>> pairs =
        List.of(
            Map.of("sourceVnicId", a.portId(), "destination", b.address()),
            Map.of("sourceVnicId", b.portId(), "destination", a.address()),
            Map.of("sourceVnicId", a.portId(), "destination", m.address()));
    LabApi api = tenantApi();
    for (int i = 0; i < 20; i++) { // warm-up: both JVMs' paths compiled, connections open
      benchProbe(api, pairs.get(i % pairs.size()));
    }
    double[] total = new double[probes];
    double[] rtt = new double[probes];
    int failed = 0;
    for (int i = 0; i < probes; i++) {
      double[] r = benchProbe(api, pairs.get(i % pairs.size()));
      total[i] = r[0];
      rtt[i] = r[1];
      failed += Double.isNaN(r[1]) ? 1 : 0;
    }
    LabApi.printPercentiles("POST -> answer (client)", total);
    LabApi.printPercentiles("RTT on the source switch", rtt);
    System.out.printf(
        "lab probes %d across hosts (h1->h2, h2->h1, h1->%s), without a reply %d%n",
        probes, lab.hostOf(m).equals(h3.id()) ? "h3" : "h2", failed);
  }

  /** One probe: milliseconds from POST to answer, and the first RTT (NaN without a reply). */
  private double[] benchProbe(LabApi api, Map<String, Object> pair) throws Exception {
    long t0 = System.nanoTime();
    JsonNode answer = api.probe(pair);
    double millis = (System.nanoTime() - t0) / 1e6;
    jdbc.sql("UPDATE diag_probe SET created_at = :past WHERE id = :id")
        .param("past", java.sql.Timestamp.from(Instant.now().minusSeconds(120)))
        .param("id", UUID.fromString(answer.path("id").asString()))
        .update();
    JsonNode rtts = answer.path("rttMillis");
    return new double[] {millis, rtts.isEmpty() ? Double.NaN : rtts.get(0).asDouble()};
  }

  /** Whether libpcap can be loaded here, or why not. */
  private static String libpcapMissing() {
    try {
      org.pcap4j.core.Pcaps.libVersion();
      return null;
    } catch (LinkageError | RuntimeException e) {
      return "libpcap is not installed (apt-get install libpcap0.8): " + e;
    }
  }

  private record CommandRow(String state, JsonNode result) {}

  /** The CAPTURE command behind a capture, as the fabric keeps it. */
  private CommandRow commandOf(String captureId) {
    return jdbc.sql(
            "SELECT c.state, c.result FROM diag_agent_command c JOIN diag_capture d"
                + " ON d.command_id = c.id WHERE d.id = :id")
        .param("id", UUID.fromString(captureId))
        .query((rs, n) ->
            new CommandRow(
                rs.getString(1),
                rs.getString(2) == null
                    ? TableJson.mapper().createObjectNode()
                    : TableJson.mapper().readTree(rs.getString(2))))
        .optional()
        .orElse(new CommandRow("NONE", TableJson.mapper().createObjectNode()));
  }

  private static String captureState(LabApi api, String id) {
    try {
      String s = api.get("/api/v1/diagnostics/captures/" + id).body().path("state").asString();
      assertThat(s).as("capture " + id).isNotEqualTo("FAILED");
      return s;
    } catch (AssertionError e) {
      throw e;
    } catch (Exception e) {
      return "?";
    }
  }

  /** The ICMP echo replies {@code vm}'s kernel has sent ({@code Icmp: OutEchoReps}). */
  private long echoRepliesSent(LabVm vm) throws Exception {
    List<String> lines =
        lab.lab()
            .exec(vm.ns(), FabricLab.T, "cat", "/proc/net/snmp")
            .lines()
            .filter(l -> l.startsWith("Icmp:"))
            .toList();
    List<String> names = List.of(lines.get(0).split("\\s+"));
    return Long.parseLong(lines.get(1).split("\\s+")[names.indexOf("OutEchoReps")]);
  }

  private LabApi tenantApi() {
    return new LabApi(port, adminEmail, PASSWORD);
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
            .encodeToString((adminEmail + ":" + PASSWORD).getBytes(StandardCharsets.UTF_8));
    HttpResponse<String> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .header("Authorization", "Basic " + basic)
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return response.body();
  }

  private long reported(LabHost h) {
    return tables.lastReport(OPERATOR, h.id()).map(r -> r.generation()).orElse(-1L);
  }

  private Optional<MigrationRecord> migrationOf(LabVm vm) {
    return tables.migrations(OPERATOR, 50).stream()
        .filter(r ->
            r.vmId().equals(vm.vm().id()) && r.from().equals(h2.id()) && r.to().equals(h3.id()))
        .findFirst();
  }

  private static String paOf(HostTable t, String ca) {
    return t.networks().stream()
        .flatMap(n -> n.lookupRecords().stream())
        .filter(r -> r.ca().toString().equals(ca))
        .map(r -> r.pa().toString())
        .findFirst()
        .orElse("");
  }
}
