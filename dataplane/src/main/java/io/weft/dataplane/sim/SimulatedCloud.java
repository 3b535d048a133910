package io.weft.dataplane.sim;

import io.weft.dataplane.backend.memory.MemoryUnderlay;
import io.weft.dataplane.pipeline.LeaseAuthority;
import io.weft.dataplane.table.Encapsulation;
import io.weft.dataplane.table.HostTable;
import io.weft.dataplane.table.IpAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * N simulated hosts on one memory underlay, all driven by one loop thread (so every switch stays
 * single-writer and runs are reproducible). Tables come from outside: push them to {@code
 * host(id).agent().apply(...)} or {@code connect} each host to a fabric.
 *
 * <pre>{@code
 * try (SimulatedCloud cloud = SimulatedCloud.start(List.of("h1", "h2"), Encapsulation.NVGRE)) {
 *   cloud.host("h1").connect(fabricUri, tokenOfH1);
 *   SimulatedVm vm = cloud.host("h1").startVm("vnic-1", mac);
 *   vm.startDhcp(Duration.ofSeconds(5)).join();
 * }
 * }</pre>
 */
public final class SimulatedCloud implements AutoCloseable {

  /** Provider addresses are 192.168.100.1, .2, ... in host order. */
  public static final IpAddress FIRST_PA = IpAddress.parse("192.168.100.1");

  private final ScheduledExecutorService loop;
  private final MemoryUnderlay underlay = new MemoryUnderlay();
  private final Map<String, SimulatedHost> hosts = new LinkedHashMap<>();

  private SimulatedCloud(ScheduledExecutorService loop) {
    this.loop = loop;
  }

  /**
   * Starts hosts with empty tables (generation 0). {@code leases} decides DHCP addresses the tables
   * do not carry: {@link LeaseAuthority#TABLE_ONLY} when a fabric assigns them, a shared {@link
   * RangeLeaseAuthority} for a simulation on its own.
   */
  public static SimulatedCloud start(
      List<String> hostIds, Encapsulation encapsulation, LeaseAuthority leases) {
    ScheduledExecutorService loop =
        Executors.newSingleThreadScheduledExecutor(
            r -> Thread.ofPlatform().daemon().name("weft-sim-loop").unstarted(r));
    SimulatedCloud cloud = new SimulatedCloud(loop);
    for (int i = 0; i < hostIds.size(); i++) {
      IpAddress pa = FIRST_PA.plus(i);
      HostTable empty = HostTable.empty(hostIds.get(i), encapsulation, pa);
      cloud.hosts.put(hostIds.get(i), new SimulatedHost(empty, cloud.underlay, loop, leases));
    }
    return cloud;
  }

  public SimulatedHost host(String hostId) {
    SimulatedHost h = hosts.get(hostId);
    if (h == null) {
      throw new IllegalArgumentException("no simulated host " + hostId);
    }
    return h;
  }

  public List<SimulatedHost> hosts() {
    return new ArrayList<>(hosts.values());
  }

  public ScheduledExecutorService loop() {
    return loop;
  }

  @Override
  public void close() throws Exception {
    for (SimulatedHost h : hosts.values()) {
      h.close();
    }
    loop.shutdownNow();
  }
}
