package io.weft.portal.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.weft.dataplane.agent.AgentProcess;
import io.weft.dataplane.lab.Lab;
import io.weft.dataplane.table.HostTable;
import io.weft.dataplane.table.LookupRecord;
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
import io.weft.portal.H2ApplicationTest;
import io.weft.portal.agent.FabricLab.LabHost;
import io.weft.portal.agent.FabricLab.LabVm;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Real Linux hosts driven by the real fabric over HTTP (root, the namespace lab), shared by the
 * lab's test classes ({@link #CLASSES}): the first one starts it, the last one closes it, so the
 * suite starts the lab's hosts, agents and VMs once. Three agents on the linux backend, h1 and h3
 * in this JVM, h2 a process of its own. VM a (h1) pings b (h2) and m (h2, which the faults test
 * migrates to h3); u (h1) and w (h3) get their addresses from real DHCP clients.
 *
 * <p>The lab classes run first in the suite and one after another ({@code @Order} on each class,
 * {@code ClassOrderer.OrderAnnotation} in junit-platform.properties), so no other test ever sees
 * the lab's hosts READY (closing takes them DOWN, and the application context is shared). When only
 * some of them run ({@code -Dtest=…}), the lab is closed when JUnit ends ({@link ClosedAtTheEnd}).
 */
final class LinuxLabCloud implements AutoCloseable {

  static final Caller OPERATOR =
      new Caller(new AccountId(UUID.randomUUID()), "op", Role.OPERATOR, Optional.empty());
  static final String PASSWORD = "Password-12345";

  /** The test classes sharing the lab, in the order they run. */
  static final List<Class<?>> CLASSES =
      List.of(
          LinuxLabAgainstFabricTest.class,
          LinuxLabDiagnosticsTest.class,
          LinuxLabDriftTest.class,
          LinuxLabTraceTest.class);

  private static LinuxLabCloud shared;
  private static final Set<Class<?>> FINISHED = new HashSet<>();

  final int port;
  final HostService hosts;
  final VmService vms;
  final NetworkService networks;
  final HostTableService tables;
  final JdbcClient jdbc;
  final Path state;
  final FabricLab lab;
  final LabHost h1;
  final LabHost h2;
  final LabHost h3;
  final AgentProcess agent1;
  final AgentProcess agent3;

  /** h2's agent: replaced when a test kills it. */
  Process agent2;

  final String adminEmail;
  final Caller admin;
  final TenantId tenant;
  final Subnet subnet;
  final LabVm a;
  final LabVm b;
  final LabVm m;
  final LabVm u;
  final LabVm w;

  /**
   * The lab for a test class, started by the first; the class is skipped where the lab cannot run
   * (not root, no {@code ip}).
   */
  static synchronized LinuxLabCloud start(ApplicationContext context) throws Exception {
    String reason = Lab.unavailableReason();
    if (reason != null) {
      System.out.println("SKIPPED (lab): " + reason);
    }
    assumeTrue(reason == null, reason);
    if (shared == null) {
      shared = new LinuxLabCloud(context);
    }
    return shared;
  }

  /** A lab class is done; after the last of {@link #CLASSES} the lab is closed. */
  static synchronized void finished(Class<?> testClass) throws Exception {
    FINISHED.add(testClass);
    if (FINISHED.containsAll(CLASSES)) {
      closeShared();
    }
  }

  private static synchronized void closeShared() throws Exception {
    if (shared != null) {
      LinuxLabCloud cloud = shared;
      shared = null;
      cloud.close();
    }
  }

  /** Registers, once per JUnit run, the closing of a lab that is still up when JUnit ends. */
  static final class ClosedAtTheEnd implements BeforeAllCallback {
    @Override
    public void beforeAll(ExtensionContext context) {
      context
          .getRoot()
          .getStore(ExtensionContext.Namespace.create(LinuxLabCloud.class))
          .computeIfAbsent(
              "closer", k -> (AutoCloseable) LinuxLabCloud::closeShared, AutoCloseable.class);
    }
  }

  private LinuxLabCloud(ApplicationContext context) throws Exception {
    port = Integer.parseInt(context.getEnvironment().getRequiredProperty("local.server.port"));
    hosts = context.getBean(HostService.class);
    vms = context.getBean(VmService.class);
    networks = context.getBean(NetworkService.class);
    tables = context.getBean(HostTableService.class);
    jdbc = context.getBean(JdbcClient.class);
    state = Files.createTempDirectory("weft-lab-");
    lab = new FabricLab(OPERATOR, hosts, vms, port, state);
    try {
      h1 = lab.addHost("h1", 1);
      h2 = lab.addHost("h2", 2);
      h3 = lab.addHost("h3", 3);
      String tag = UUID.randomUUID().toString().substring(0, 8);
      adminEmail = "lab-" + tag + "@example.com";
      tenant =
          context
              .getBean(TenantService.class)
              .signup(new SignupRequest("Lab " + tag, adminEmail, PASSWORD))
              .id();
      admin =
          new Caller(new AccountId(UUID.randomUUID()), "t", Role.TENANT_ADMIN, Optional.of(tenant));
      var net = networks.createVmNetwork(admin, tenant, "lab");
      subnet =
          networks.createSubnet(
              admin, tenant, net.id(), new NewSubnet("s", "10.6.0.0/24", null, List.of()));
      // The VMs and their namespaces exist before any lab host is READY, so no agent is ever
      // given a port whose tap the "hypervisor" has not made yet.
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
      assertThat(lab.reaches(a, b.address())).as("a reaches b\n" + lab.agentLog(h2)).isTrue();
      assertThat(lab.reaches(a, m.address())).as("a reaches m").isTrue();
      // h2's first agent recorded a JDK AOT cache; stopped cleanly, it writes it, and every later
      // agent process starts from it, as a host's second and later agent starts would.
      lab.stopCleanly(agent2);
      assertThat(lab.agentCache()).as(lab.agentLog(h2)).exists();
      agent2 = lab.spawnAgent(h2);
      assertThat(lab.reaches(a, b.address())).as("a reaches b again").isTrue();
    } catch (Exception | AssertionError e) {
      close();
      throw e;
    }
  }

  /** The tenant's administrator on the REST API. */
  LabApi tenantApi() {
    return new LabApi(port, adminEmail, PASSWORD);
  }

  /** The operator on the REST API. */
  LabApi operatorApi() {
    return new LabApi(port, "admin", H2ApplicationTest.ADMIN_PASSWORD);
  }

  /** The table generation {@code h}'s agent last reported, or -1. */
  long reported(LabHost h) {
    return tables.lastReport(OPERATOR, h.id()).map(r -> r.generation()).orElse(-1L);
  }

  /** {@code t} without the lookup records for {@code ca}: a host forwarding with other entries. */
  static HostTable without(HostTable t, String ca) {
    List<VmNetworkTable> networks = new ArrayList<>();
    for (VmNetworkTable n : t.networks()) {
      List<LookupRecord> records =
          n.lookupRecords().stream().filter(r -> !r.ca().toString().equals(ca)).toList();
      networks.add(new VmNetworkTable(n.routingDomainId(), n.subnets(), records, n.ports()));
    }
    return new HostTable(
        t.hostId(), t.generation(), t.encapsulation(), t.localPa(), t.overlayMtu(), networks);
  }

  /** The PA {@code t} sends {@code ca}'s packets to, or "". */
  static String paOf(HostTable t, String ca) {
    return t.networks().stream()
        .flatMap(n -> n.lookupRecords().stream())
        .filter(r -> r.ca().toString().equals(ca))
        .map(r -> r.pa().toString())
        .findFirst()
        .orElse("");
  }

  /** Stops the agents, takes the hosts DOWN, removes the namespaces and the state directory. */
  @Override
  public void close() throws Exception {
    try {
      lab.close();
    } finally {
      deleteState();
    }
  }

  private void deleteState() throws IOException {
    try (Stream<Path> files = Files.walk(state)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
