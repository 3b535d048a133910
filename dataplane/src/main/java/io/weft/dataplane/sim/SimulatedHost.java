package io.weft.dataplane.sim;

import io.weft.dataplane.agent.BackendForwarder;
import io.weft.dataplane.agent.HostAgent;
import io.weft.dataplane.agent.LeaseBook;
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
  private TableClient client;

  SimulatedHost(
      HostTable initial,
      MemoryUnderlay underlay,
      ScheduledExecutorService loop,
      LeaseAuthority leases) {
    this.loop = loop;
    LeaseBook book = new LeaseBook(leases);
    this.backend = new MemoryHost(initial, underlay, loop, book);
    this.agent = new HostAgent(initial, new BackendForwarder(backend), book);
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

  /** Starts long-polling {@code fabric} with this host's token; tables then come from there. */
  public synchronized TableClient connect(URI fabric, String hostToken) {
    if (client == null) {
      client = new TableClient(fabric, hostToken, agent);
      client.start();
    }
    return client;
  }

  @Override
  public synchronized void close() throws Exception {
    if (client != null) {
      client.close();
    }
    backend.close();
  }
}
