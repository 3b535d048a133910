package io.weft.portal.agent;

import io.weft.dataplane.agent.AgentOptions;
import io.weft.dataplane.agent.AgentProcess;
import io.weft.dataplane.lab.Lab;
import io.weft.dataplane.lab.LabAgentMain;
import io.weft.fabric.Caller;
import io.weft.fabric.HostId;
import io.weft.fabric.HostService;
import io.weft.fabric.HostState;
import io.weft.fabric.NewHost;
import io.weft.fabric.NewLogicalNetwork;
import io.weft.fabric.NewVm;
import io.weft.fabric.NewVnic;
import io.weft.fabric.RegisteredHost;
import io.weft.fabric.Subnet;
import io.weft.fabric.TenantId;
import io.weft.fabric.Vm;
import io.weft.fabric.VmService;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;

/**
 * The namespace lab driven by the real fabric: hosts registered with the lab's PAs on a logical
 * network 192.168.77.0/24 (NVGRE, overlay MTU 1458), agents polling the fabric through a {@link
 * FabricProxy}, and VMs created through the fabric whose namespaces ({@code wl-<vNIC id>}) the test
 * makes as a hypervisor would: one tap per lab host ({@code tap-h1}, {@code tap-h2}, ..., same MAC,
 * down), so whichever host the fabric puts the vNIC on finds its tap; the VM's address sits on the
 * tap of the host it runs on. Agents run in this JVM ({@link #startAgent}) or as a JVM of their own
 * ({@link #spawnAgent}), which a test can SIGKILL.
 */
final class FabricLab implements AutoCloseable {

  static final int MTU = 1458;
  static final Duration T = Duration.ofSeconds(20);

  /** A lab host: its namespace, its registration with the fabric, its tap name. */
  record LabHost(String name, String ns, RegisteredHost registered, String tap) {
    HostId id() {
      return registered.host().id();
    }

    String pa() {
      return registered.host().providerAddress();
    }
  }

  /** A VM: the fabric's VM and vNIC, its namespace, address and gateway. */
  record LabVm(Vm vm, String portId, String ns, String address, String gateway) {}

  private final Caller operator;
  private final HostService hosts;
  private final VmService vms;
  private final Lab lab;
  private final FabricProxy proxy;
  private final Path stateRoot;
  private final String logicalNetwork;
  private final Map<String, LabHost> labHosts = new LinkedHashMap<>();
  private final List<AutoCloseable> agents = new ArrayList<>();

  FabricLab(Caller operator, HostService hosts, VmService vms, int fabricPort, Path stateRoot)
      throws IOException {
    this.operator = operator;
    this.hosts = hosts;
    this.vms = vms;
    this.stateRoot = stateRoot;
    this.lab = Lab.start();
    try {
      this.proxy = new FabricProxy(fabricPort);
      String tag = UUID.randomUUID().toString().substring(0, 8);
      this.logicalNetwork =
          hosts
              .createLogicalNetwork(
                  operator,
                  new NewLogicalNetwork("lab-ln-" + tag, "192.168.77.0/24", "NVGRE", null))
              .id()
              .toString();
    } catch (IOException | RuntimeException e) {
      lab.close();
      throw e;
    }
  }

  Lab lab() {
    return lab;
  }

  FabricProxy proxy() {
    return proxy;
  }

  LabHost host(String name) {
    return labHosts.get(name);
  }

  /**
   * Host namespace {@code wl-NAME} with PA 192.168.77.N, registered (REGISTERING until it reports).
   */
  LabHost addHost(String name, int n) throws IOException {
    String ns = lab.host(name, n);
    RegisteredHost r =
        hosts.registerHost(
            operator,
            new NewHost(
                "lab-" + name + "-" + UUID.randomUUID().toString().substring(0, 6),
                logicalNetwork,
                Lab.PA_NET + n,
                64));
    LabHost h = new LabHost(name, ns, r, "tap-" + name);
    labHosts.put(name, h);
    return h;
  }

  private Map<String, String> options(LabHost h) {
    Map<String, String> o = new LinkedHashMap<>();
    o.put("fabric", proxy.url());
    o.put("token", h.registered().agentToken());
    o.put("host-id", h.id().toString());
    o.put("state-dir", stateRoot.resolve(h.name()).toString());
    o.put("http", "off");
    o.put("backend", "linux");
    return o;
  }

  /** An agent in this JVM (linux backend) for {@code h}. */
  AgentProcess startAgent(LabHost h) throws Exception {
    Map<String, String> options = options(h);
    options.put("http", "127.0.0.1:0");
    String[] args =
        options.entrySet().stream()
            .map(e -> "--" + e.getKey() + "=" + e.getValue())
            .toArray(String[]::new);
    AgentProcess p = LabAgentMain.start(AgentOptions.parse(args, Map.of()), h.ns(), h.tap());
    agents.add(p);
    return p;
  }

  /**
   * An agent as a process of its own ({@code LabAgentMain} on this JVM's class path), its output in
   * {@code <state-dir>.log}. Returns once started: the JVM is up and the kept table (if any) in
   * force.
   */
  Process spawnAgent(LabHost h) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> cmd =
        LabAgentMain.command(
            java,
            List.of(
                "-Dlogback.configurationFile=" + logbackAtInfo(),
                Files.exists(agentCache())
                    ? "-XX:AOTCache=" + agentCache()
                    : "-XX:AOTCacheOutput=" + agentCache()),
            agentClassPath(),
            h.ns(),
            h.tap(),
            options(h));
    Path log = stateRoot.resolve(h.name() + ".log");
    Process p =
        new ProcessBuilder(cmd)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
            .start();
    agents.add(p::destroyForcibly);
    return p;
  }

  /**
   * The data plane and what it needs at run time (SLF4J with a binding, Jackson, pcap4j and JNA for
   * captures), as {@code ./weft agent} has it: not this test's whole class path, whose hundreds of
   * jars a JVM would search.
   */
  private String agentClassPath() throws IOException {
    List<String> entries = new ArrayList<>();
    for (String e : System.getProperty("java.class.path").split(File.pathSeparator)) {
      if (e.endsWith("dataplane/target/classes")) {
        entries.add(jarOf(Path.of(e)).toString()); // an AOT cache takes jars only
      } else if (e.contains("weft-dataplane")
          || e.contains("slf4j-api")
          || e.contains("logback")
          || e.contains("jackson")
          || e.contains("pcap4j")
          || e.contains("/jna/")) {
        entries.add(e);
      }
    }
    return String.join(File.pathSeparator, entries);
  }

  /** The data plane's classes (a reactor build has them as a directory) as a jar. */
  private Path jarOf(Path classes) throws IOException {
    Path jar = stateRoot.resolve("weft-dataplane.jar");
    if (Files.exists(jar)) {
      return jar;
    }
    try (var out = new JarOutputStream(Files.newOutputStream(jar));
        var files = Files.walk(classes)) {
      for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
        out.putNextEntry(new JarEntry(classes.relativize(f).toString().replace('\\', '/')));
        Files.copy(f, out);
        out.closeEntry();
      }
    }
    return jar;
  }

  /**
   * A JDK AOT cache for agent processes: the first one records it and writes it when it ends
   * cleanly ({@link #stopCleanly}), later ones start from it (classes loaded and linked already).
   */
  Path agentCache() {
    return stateRoot.resolve("agent.aot");
  }

  /** SIGTERM, as a service manager stops an agent: it saves its state and the AOT cache. */
  void stopCleanly(Process agent) throws InterruptedException {
    agent.destroy();
    if (!agent.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)) {
      agent.destroyForcibly();
      throw new AssertionError("the agent did not stop within 60 s");
    }
  }

  /** Logback's default is DEBUG; the agent logs at INFO, as {@code ./weft agent} does. */
  private Path logbackAtInfo() throws IOException {
    Path file = stateRoot.resolve("logback-agent.xml");
    Files.writeString(
        file,
        """
        <configuration>
          <appender name="out" class="ch.qos.logback.core.ConsoleAppender">
            <encoder><pattern>%d{HH:mm:ss.SSS} [%thread] %level %logger{0} - %msg%n</pattern></encoder>
          </appender>
          <root level="INFO"><appender-ref ref="out"/></root>
        </configuration>
        """);
    return file;
  }

  String agentLog(LabHost h) throws IOException {
    Path log = stateRoot.resolve(h.name() + ".log");
    return Files.exists(log) ? Files.readString(log) : "";
  }

  /**
   * A VM with one STATIC vNIC at {@code address} in {@code subnet}: created through the fabric,
   * given its namespace with one tap per lab host and the address on {@code runsOn}'s tap, then
   * moved there by the fabric if placement put it elsewhere.
   */
  LabVm vm(Caller tenantAdmin, TenantId tenant, Subnet subnet, String address, LabHost runsOn)
      throws Exception {
    Vm vm =
        vms.createVm(
            tenantAdmin,
            tenant,
            new NewVm(
                "lab-" + address.replace('.', '-'),
                List.of(new NewVnic(subnet.id().toString(), "STATIC", address))));
    String portId = vm.nics().getFirst().id().toString();
    String ns = vmNamespace(portId, vm.nics().getFirst().mac());
    String prefix = subnet.cidr().substring(subnet.cidr().indexOf('/'));
    lab.ip(ns, "addr", "add", address + prefix, "dev", runsOn.tap());
    lab.ip(ns, "link", "set", runsOn.tap(), "up");
    lab.ip(ns, "route", "add", "default", "via", subnet.gateway());
    return new LabVm(vm, portId, ns, address, subnet.gateway());
  }

  /**
   * A VM with one DHCP vNIC in {@code subnet}: its namespace with one tap per lab host, the tap of
   * {@code runsOn} up and no address (its DHCP client gets one).
   */
  LabVm dhcpVm(Caller tenantAdmin, TenantId tenant, Subnet subnet, String name, LabHost runsOn)
      throws Exception {
    Vm vm =
        vms.createVm(
            tenantAdmin,
            tenant,
            new NewVm(name, List.of(new NewVnic(subnet.id().toString(), "DHCP", null))));
    String portId = vm.nics().getFirst().id().toString();
    String ns = vmNamespace(portId, vm.nics().getFirst().mac());
    lab.ip(ns, "link", "set", runsOn.tap(), "up");
    return new LabVm(vm, portId, ns, null, subnet.gateway());
  }

  private String vmNamespace(String portId, String mac) throws IOException {
    String ns = lab.netns(Lab.PREFIX + portId);
    for (LabHost h : labHosts.values()) {
      lab.ip(ns, "tuntap", "add", "dev", h.tap(), "mode", "tap");
      lab.ip(ns, "link", "set", h.tap(), "address", mac, "mtu", Integer.toString(MTU));
    }
    return ns;
  }

  /** Moves {@code vm} to {@code h} through the fabric unless it is already placed there. */
  void placeOn(LabVm vm, LabHost h) throws InterruptedException {
    await(
        () -> vms.getVm(operator, vm.vm().tenantId(), vm.vm().id()).placement().isPresent(),
        "a placement for " + vm.address());
    if (!hostOf(vm).equals(h.id())) {
      vms.migrate(operator, vm.vm().id(), h.id());
    }
  }

  HostId hostOf(LabVm vm) {
    return vms.getVm(operator, vm.vm().tenantId(), vm.vm().id()).placement().orElseThrow().hostId();
  }

  /** {@code ping} inside the VM's namespace; exit code and output. */
  Lab.Result ping(LabVm from, String to, String... options) {
    List<String> cmd = new ArrayList<>(List.of("ping"));
    cmd.addAll(List.of(options));
    cmd.add(to);
    return lab.tryExec(from.ns(), T, cmd.toArray(String[]::new));
  }

  /** Pings until one answer comes back (or fails after {@link #T}). */
  boolean reaches(LabVm from, String to) throws InterruptedException {
    long deadline = System.nanoTime() + T.toNanos();
    while (System.nanoTime() < deadline) {
      if (ping(from, to, "-c", "1", "-W", "1").ok()) {
        return true;
      }
      Thread.sleep(100);
    }
    return false;
  }

  static void await(BooleanSupplier condition, String what) throws InterruptedException {
    long deadline = System.nanoTime() + T.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.sleep(20);
    }
  }

  /** Stops the agents, takes the hosts DOWN (the context is shared), removes the namespaces. */
  @Override
  public void close() throws Exception {
    for (AutoCloseable a : agents) {
      try {
        a.close();
      } catch (Exception e) {
        // the namespaces go next
      }
    }
    for (LabHost h : labHosts.values()) {
      hosts.setHostState(operator, h.id(), HostState.DOWN);
    }
    proxy.close();
    lab.close();
  }
}
