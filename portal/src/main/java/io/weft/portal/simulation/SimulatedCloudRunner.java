package io.weft.portal.simulation;

import io.weft.dataplane.agent.FabricLeaseAuthority;
import io.weft.dataplane.pipeline.LeaseAuthority;
import io.weft.dataplane.pipeline.LeaseEvent;
import io.weft.dataplane.sim.SimulatedCloud;
import io.weft.dataplane.sim.SimulatedHost;
import io.weft.dataplane.sim.SimulatedVm;
import io.weft.dataplane.table.Encapsulation;
import io.weft.dataplane.table.IpAddress;
import io.weft.dataplane.table.PortEntry;
import io.weft.dataplane.table.VmSubnet;
import io.weft.fabric.Caller;
import io.weft.fabric.Host;
import io.weft.fabric.HostService;
import io.weft.fabric.LogicalNetwork;
import io.weft.fabric.NewHost;
import io.weft.fabric.NewLogicalNetwork;
import io.weft.fabric.RegisteredHost;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Runs the simulated hosts of the default run once the web server listens: registers them with the
 * fabric through the same host service an operator uses, connects each agent's table client to this
 * application over HTTP with its own token, and keeps a simulated VM on every port.
 */
@Component
public class SimulatedCloudRunner
    implements ApplicationListener<WebServerInitializedEvent>, DisposableBean {

  static final String LOGICAL_NETWORK = "simulation";
  private static final Duration IN_USE_BY_ANOTHER_PROCESS = Duration.ofSeconds(60);
  private static final Logger log = LoggerFactory.getLogger(SimulatedCloudRunner.class);

  private final HostService hosts;
  private final SimulationProperties properties;
  private final SimulatedHostTokens tokens;
  private final Map<String, FabricLeaseAuthority> leasesByHost = new ConcurrentHashMap<>();
  private final Map<String, String> hostByPort = new ConcurrentHashMap<>();
  private volatile SimulatedCloud cloud;
  private volatile SimulatedVmKeeper keeper;
  private ScheduledExecutorService scheduler;

  SimulatedCloudRunner(
      HostService hosts, SimulationProperties properties, @Value("${weft.home}") Path home) {
    this.hosts = hosts;
    this.properties = properties;
    this.tokens = new SimulatedHostTokens(home);
  }

  @Override
  public void onApplicationEvent(WebServerInitializedEvent event) {
    if (properties.hosts() <= 0 || cloud != null || event.getApplicationContext().getId() == null) {
      return;
    }
    int port = event.getWebServer().getPort();
    Thread.ofVirtual().name("weft-simulation-start").start(() -> start(port));
  }

  /** Whether the simulated hosts are up and connected. */
  public boolean running() {
    return keeper != null;
  }

  /** The simulated VM on a vNIC's port, once it has come alive. */
  public Optional<SimulatedVm> vm(String vnicId) {
    SimulatedVmKeeper current = keeper;
    return current == null ? Optional.empty() : current.vm(vnicId);
  }

  /** The simulated host with the fabric's host id. */
  public Optional<SimulatedHost> host(String hostId) {
    SimulatedCloud current = cloud;
    return current == null ? Optional.empty() : Optional.ofNullable(current.host(hostId));
  }

  private void start(int port) {
    try {
      Caller system = Caller.system("simulation");
      LogicalNetwork network = logicalNetwork(system);
      URI fabric = URI.create("http://127.0.0.1:" + port);
      Map<String, String> tokenByHost = new LinkedHashMap<>();
      for (int i = 1; i <= properties.hosts(); i++) {
        Map.Entry<String, String> registered = register(system, network, i);
        if (registered == null) {
          continue;
        }
        tokenByHost.put(registered.getKey(), registered.getValue());
        leasesByHost.put(
            registered.getKey(), new FabricLeaseAuthority(fabric, registered.getValue()));
      }
      if (tokenByHost.isEmpty()) {
        return;
      }
      SimulatedCloud started =
          SimulatedCloud.start(
              new ArrayList<>(tokenByHost.keySet()), Encapsulation.NVGRE, leaseRouter());
      tokenByHost.forEach((hostId, token) -> started.host(hostId).connect(fabric, token));
      cloud = started;
      scheduler =
          Executors.newSingleThreadScheduledExecutor(
              r -> Thread.ofPlatform().daemon().name("weft-simulation-vms").unstarted(r));
      SimulatedVmKeeper vms = new SimulatedVmKeeper(started, hostByPort);
      scheduler.scheduleWithFixedDelay(vms::reconcile, 200, 500, TimeUnit.MILLISECONDS);
      keeper = vms;
      log.info("Started {} simulated hosts on the memory data plane", tokenByHost.size());
    } catch (RuntimeException e) {
      log.error("The simulated hosts could not start; the fabric runs on without them", e);
    }
  }

  private LogicalNetwork logicalNetwork(Caller system) {
    return hosts.listLogicalNetworks(system).stream()
        .filter(n -> n.name().equals(LOGICAL_NETWORK))
        .findFirst()
        .orElseGet(() ->
            hosts.createLogicalNetwork(
                system, new NewLogicalNetwork(LOGICAL_NETWORK, "192.168.100.0/24", "NVGRE", 1500)));
  }

  /**
   * Registers sim-host-N (or finds it) and returns its fabric id with a working agent token, or
   * null when another process serves that host (its agent reported recently with a token this
   * process does not have): rotating the token would cut that process's agent off.
   */
  private Map.Entry<String, String> register(Caller system, LogicalNetwork network, int n) {
    String name = "sim-host-" + n;
    Optional<Host> existing =
        hosts.listHosts(system).stream().filter(h -> h.name().equals(name)).findFirst();
    if (existing.isEmpty()) {
      // SimulatedCloud numbers provider addresses 192.168.100.1, .2, ... in host order.
      RegisteredHost created =
          hosts.registerHost(
              system,
              new NewHost(name, network.id().toString(), "192.168.100." + n, properties.vmSlots()));
      tokens.write(name, created.agentToken());
      return Map.entry(created.host().id().toString(), created.agentToken());
    }
    String hostId = existing.get().id().toString();
    Optional<String> saved = tokens.read(name).filter(t -> hosts.authenticateAgent(t).isPresent());
    if (saved.isPresent()) {
      return Map.entry(hostId, saved.get());
    }
    Instant lastSeen = existing.get().lastSeenAt();
    if (lastSeen != null && lastSeen.isAfter(Instant.now().minus(IN_USE_BY_ANOTHER_PROCESS))) {
      log.warn(
          "{} reported {} s ago with a token this process does not hold: another process (a second"
              + " replica on the same database?) serves it, so it is left alone here. Set"
              + " WEFT_SIMULATION_HOSTS=0 on all but one replica.",
          name,
          Duration.between(lastSeen, Instant.now()).toSeconds());
      return null;
    }
    RegisteredHost rotated = hosts.rotateAgentToken(system, existing.get().id());
    tokens.write(name, rotated.agentToken());
    return Map.entry(hostId, rotated.agentToken());
  }

  /** One lease authority per host (each speaks with its own token), chosen by the asking port. */
  private LeaseAuthority leaseRouter() {
    return new LeaseAuthority() {
      @Override
      public Optional<IpAddress> leaseFor(PortEntry port, VmSubnet subnet) {
        String host = hostByPort.get(port.portId());
        FabricLeaseAuthority authority = host == null ? null : leasesByHost.get(host);
        return authority == null ? Optional.empty() : authority.leaseFor(port, subnet);
      }

      @Override
      public void leaseEvent(LeaseEvent event) {}
    };
  }

  /** Stops the simulated agents first, so their long-polls do not hold up graceful shutdown. */
  @EventListener(ContextClosedEvent.class)
  void closing() throws Exception {
    destroy();
  }

  @Override
  public synchronized void destroy() throws Exception {
    if (scheduler != null) {
      scheduler.shutdownNow();
    }
    SimulatedCloud current = cloud;
    cloud = null;
    if (current != null) {
      current.close();
    }
  }

  List<SimulatedHost> hosts() {
    SimulatedCloud current = cloud;
    return current == null ? List.of() : current.hosts();
  }
}
