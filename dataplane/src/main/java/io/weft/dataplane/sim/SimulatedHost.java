package io.weft.dataplane.sim;

import io.weft.dataplane.agent.BackendForwarder;
import io.weft.dataplane.agent.CaptureCommand;
import io.weft.dataplane.agent.CommandClient;
import io.weft.dataplane.agent.CommandDispatcher;
import io.weft.dataplane.agent.HostAgent;
import io.weft.dataplane.agent.LeaseBook;
import io.weft.dataplane.agent.ProbeCommands;
import io.weft.dataplane.agent.ReportEntriesCommand;
import io.weft.dataplane.agent.TableClient;
import io.weft.dataplane.backend.memory.MemoryHost;
import io.weft.dataplane.backend.memory.MemoryUnderlay;
import io.weft.dataplane.pipeline.LeaseAuthority;
import io.weft.dataplane.table.HostTable;
import io.weft.dataplane.table.IpAddress;
import java.net.URI;
import java.util.concurrent.ScheduledExecutorService;

/**
 * One simulated hypervisor: a memory-backend switch, the agent holding its table, and optionally a
 * table client long-polling a real fabric.
 */
public final class SimulatedHost implements AutoCloseable {

  private final MemoryHost backend;
  private final HostAgent agent;
  private final ScheduledExecutorService loop;
  private final CommandDispatcher commands = new CommandDispatcher();
  private TableClient client;
  private CommandClient commandClient;

  SimulatedHost(
      HostTable initial,
      MemoryUnderlay underlay,
      ScheduledExecutorService loop,
      LeaseAuthority leases) {
    this.loop = loop;
    LeaseBook book = new LeaseBook(leases);
    this.backend = new MemoryHost(initial, underlay, loop, book);
    this.agent = new HostAgent(initial, new BackendForwarder(backend), book);
    CaptureCommand.register(commands, backend);
    ReportEntriesCommand.register(commands, agent);
    ProbeCommands.register(commands, agent, backend);
  }

  public String hostId() {
    return agent.hostId();
  }

  public IpAddress pa() {
    return backend.pa();
  }

  public MemoryHost backend() {
    return backend;
  }

  public HostAgent agent() {
    return agent;
  }

  /** Attaches a simulated VM to {@code portId} (the port comes alive when the table lists it). */
  public SimulatedVm startVm(String portId, io.weft.dataplane.table.MacAddress mac) {
    return new SimulatedVm(backend, portId, mac, loop);
  }

  /** The agent's command handlers, by kind; features register theirs here. */
  public CommandDispatcher commands() {
    return commands;
  }

  /**
   * Starts long-polling {@code fabric} with this host's token for tables, and taking commands (on
   * announcement, or on a long-poll of their own where the fabric does not announce them); tables
   * then come from there.
   */
  public synchronized TableClient connect(URI fabric, String hostToken) {
    if (client == null) {
      client = new TableClient(fabric, hostToken, agent);
      commandClient = new CommandClient(fabric, hostToken, agent.hostId(), commands);
      client.whenFabricAnswers(commandClient::fabricAnsweredAgain);
      client.whenCommandsAnnounced(commandClient);
      client.start();
      commandClient.start();
    }
    return client;
  }

  /**
   * Pauses the agent's dealings with the fabric (tables, reports, commands) while its switch goes
   * on forwarding with the last table: a stale host, as diagnostics must name it. No-op before
   * {@link #connect}.
   */
  public synchronized void pauseAgent() {
    if (client != null) {
      client.pause();
      commandClient.pause();
    }
  }

  /** Undoes {@link #pauseAgent}: the agent catches up with the fabric and reports at once. */
  public synchronized void resumeAgent() {
    if (client != null) {
      client.resume();
      commandClient.resume();
    }
  }

  /** The table long-poll, once {@link #connect connected}; null before. */
  public synchronized TableClient tableClient() {
    return client;
  }

  /** The command client, once {@link #connect connected}; null before. */
  public synchronized CommandClient commandClient() {
    return commandClient;
  }

  @Override
  public synchronized void close() throws Exception {
    if (client != null) {
      client.close();
    }
    if (commandClient != null) {
      commandClient.close();
    }
    backend.close();
  }
}
