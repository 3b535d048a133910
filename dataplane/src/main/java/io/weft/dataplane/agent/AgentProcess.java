package io.weft.dataplane.agent;

import io.weft.dataplane.backend.HostBackend;
import io.weft.dataplane.backend.linux.LinuxHost;
import io.weft.dataplane.backend.memory.MemoryHost;
import io.weft.dataplane.backend.memory.MemoryUnderlay;
import io.weft.dataplane.table.HostTable;
import io.weft.dataplane.table.IpAddress;
import java.io.IOException;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running host agent: the backend and its switch, the table client, the state directory and the
 * local HTTP port. On start it rebuilds the pipeline from the table it kept on disk (and restores
 * its DHCP leases) before asking the fabric anything, so a restarted agent forwards again at once,
 * fabric or not; then it polls the fabric for what changed since that generation.
 */
public final class AgentProcess implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(AgentProcess.class);

  /** Builds the backend for the agent's first table. */
  @FunctionalInterface
  public interface BackendFactory {
    HostBackend create(HostTable initial, LeaseBook leases) throws IOException;
  }

  private final AgentStateStore store;
  private final LeaseBook leases;
  private final HostBackend backend;
  private final HostAgent agent;
  private final TableClient client;
  private final CommandDispatcher commands;
  private final CommandClient commandClient;
  private final AgentHttpServer http;
  private final ScheduledExecutorService saver;

  private AgentProcess(
      AgentStateStore store,
      LeaseBook leases,
      HostBackend backend,
      HostAgent agent,
      TableClient client,
      CommandDispatcher commands,
      CommandClient commandClient,
      AgentHttpServer http,
      ScheduledExecutorService saver) {
    this.store = store;
    this.leases = leases;
    this.backend = backend;
    this.agent = agent;
    this.client = client;
    this.commands = commands;
    this.commandClient = commandClient;
    this.http = http;
    this.saver = saver;
  }

  /** Starts an agent with the backend its options name, on this machine's interfaces. */
  public static AgentProcess start(AgentOptions options) throws IOException {
    return start(options, backendFor(options), UnderlayAddresses.system());
  }

  static BackendFactory backendFor(AgentOptions options) {
    if (options.backend().equals("linux")) {
      return (initial, leases) -> new LinuxHost(initial, leases, LinuxHost.Options.defaults());
    }
    return (initial, leases) ->
        new MemoryHost(
            initial,
            new MemoryUnderlay(),
            Executors.newSingleThreadExecutor(
                r -> Thread.ofPlatform().daemon().name("weft-switch").unstarted(r)),
            leases);
  }

  public static AgentProcess start(
      AgentOptions o, BackendFactory backends, UnderlayAddresses addresses) throws IOException {
    LOG.info("starting: {}", o);
    if (o.backend().equals("linux")) {
      // A restarted agent must forward within a second: link the native calls on another core
      // while this thread reads the kept table and leases.
      Thread.ofPlatform().daemon().name("weft-agent-prepare").start(LinuxHost::prepare);
    }
    AgentStateStore store = new AgentStateStore(o.stateDirectory());
    LeaseBook leases = new LeaseBook(new FabricLeaseAuthority(o.fabric(), o.token()));
    var kept = store.loadLeases(Instant.now());
    leases.restore(kept);
    if (!kept.isEmpty()) {
      LOG.info("restored {} running DHCP lease(s) from {}", kept.size(), store.directory());
    }
    UnderlayGuard guard =
        o.underlayInterface() == null
            ? null
            : new UnderlayGuard(o.underlayInterface(), o.configurePa(), addresses);
    if (guard == null) {
      LOG.info("no --underlay-interface: the PA is not checked against an interface");
    }
    HostTable empty = HostTable.empty(o.hostId(), o.encapsulation(), IpAddress.parse("0.0.0.0"));
    Optional<HostTable> table = store.loadTable(o.hostId());
    AgentStatus.Underlay underlay = null;
    if (table.isPresent() && guard != null) {
      underlay = guard.check(table.get().localPa());
      if (!underlay.paConfigured()) {
        LOG.warn(
            "not forwarding with the kept table {}: {}",
            table.get().generation(),
            underlay.problem());
        table = Optional.empty();
      }
    }
    HostTable initial = table.orElse(empty);
    if (table.isPresent()) {
      LOG.info(
          "rebuilding the pipeline from the kept table {} ({} ports) before the fabric answers",
          initial.generation(),
          CheckedForwarder.portIds(initial).size());
    } else {
      LOG.info("no usable kept table: starting empty, asking the fabric for a snapshot");
    }
    HostBackend backend = backends.create(initial, leases);
    if (!backend.problems().isEmpty()) {
      LOG.warn("devices the kept table names that could not be opened: {}", backend.problems());
    }
    CheckedForwarder forwarder = new CheckedForwarder(backend, guard, store, initial);
    if (underlay != null) {
      forwarder.checkUnderlay(table.isPresent() ? initial : empty);
    }
    HostAgent agent = new HostAgent(initial, forwarder, leases);
    TableClient client = new TableClient(o.fabric(), o.token(), agent);
    client.fullReportEvery(o.fullReportInterval());
    AgentHttpServer http = o.http() == null ? null : new AgentHttpServer(o.http(), agent, client);
    ScheduledExecutorService saver =
        Executors.newSingleThreadScheduledExecutor(
            r -> Thread.ofPlatform().daemon().name("weft-agent-state").unstarted(r));
    CommandDispatcher commands = new CommandDispatcher();
    CaptureCommand.register(commands, backend);
    ReportEntriesCommand.register(commands, agent);
    ProbeCommands.register(commands, agent, backend);
    CommandClient commandClient = new CommandClient(o.fabric(), o.token(), o.hostId(), commands);
    client.whenFabricAnswers(commandClient::fabricAnsweredAgain);
    client.whenCommandsAnnounced(commandClient);
    AgentProcess process =
        new AgentProcess(
            store, leases, backend, agent, client, commands, commandClient, http, saver);
    saver.scheduleWithFixedDelay(process::saveLeases, 1, 1, TimeUnit.SECONDS);
    client.start();
    commandClient.start();
    LOG.info("polling {} as host {} ({} backend)", o.fabric(), o.hostId(), o.backend());
    return process;
  }

  /** Keeps the leases on disk when they changed; off the switch thread. */
  private void saveLeases() {
    if (leases.takeChanged()) {
      try {
        store.saveLeases(leases.stored());
      } catch (IOException | RuntimeException e) {
        LOG.warn("could not keep the DHCP leases in {}: {}", store.directory(), e.toString());
      }
    }
  }

  public HostAgent agent() {
    return agent;
  }

  public HostBackend backend() {
    return backend;
  }

  public LeaseBook leases() {
    return leases;
  }

  /** The agent's command handlers, by kind; features register theirs here. */
  public CommandDispatcher commands() {
    return commands;
  }

  /** The agent's link to the fabric (tables and status reports). */
  public TableClient tableClient() {
    return client;
  }

  /** The health and metrics port, or -1 when it is off. */
  public int httpPort() {
    return http == null ? -1 : http.port();
  }

  @Override
  public void close() throws IOException {
    client.close();
    commandClient.close();
    saver.shutdownNow();
    saveLeases();
    if (http != null) {
      http.close();
    }
    backend.close();
    LOG.info("stopped; table {} kept in {}", agent.generation(), store.directory());
  }
}
