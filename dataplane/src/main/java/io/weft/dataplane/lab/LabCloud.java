package io.weft.dataplane.lab;

import io.weft.dataplane.agent.BackendForwarder;
import io.weft.dataplane.agent.HostAgent;
import io.weft.dataplane.agent.LeaseBook;
import io.weft.dataplane.backend.linux.LinuxHost;
import io.weft.dataplane.backend.linux.TapLocator;
import io.weft.dataplane.pipeline.CounterSnapshot;
import io.weft.dataplane.pipeline.LeaseAuthority;
import io.weft.dataplane.table.AddressingMode;
import io.weft.dataplane.table.Encapsulation;
import io.weft.dataplane.table.HostTable;
import io.weft.dataplane.table.IpAddress;
import io.weft.dataplane.table.LookupRecord;
import io.weft.dataplane.table.MacAddress;
import io.weft.dataplane.table.PortEntry;
import io.weft.dataplane.table.TableMessage;
import io.weft.dataplane.table.VmNetworkTable;
import io.weft.dataplane.table.VmSubnet;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Weft agents on a {@link Lab}: one {@link LinuxHost} (with its {@link HostAgent}) per host
 * namespace, and the intent a fabric would hold (VM networks, VMs placed on hosts, external hosts),
 * compiled into each host's table by {@link #push()}. VM {@code NAME} is namespace {@code wl-NAME},
 * its port id is {@code NAME} and its vNIC is that namespace's {@code eth0}.
 */
public final class LabCloud implements AutoCloseable {

  /** The overlay MTU of every table here; VMs get it on their tap (or from DHCP). */
  public static final int OVERLAY_MTU = 1400;

  /** A VM: its namespace, placement, VSID, MAC and address (assigned by "the fabric"). */
  public record Vm(
      String name,
      String ns,
      String host,
      UUID network,
      int vsid,
      MacAddress mac,
      IpAddress ip,
      AddressingMode addressing) {}

  /** A host: its namespace, PA, backend and agent. */
  public record Host(
      String name,
      String ns,
      IpAddress pa,
      LinuxHost backend,
      HostAgent agent,
      Encapsulation encapsulation) {}

  private record External(UUID network, LookupRecord record) {}

  private final Lab lab;
  private final Map<String, Host> hosts = new LinkedHashMap<>();
  private final Map<UUID, List<VmSubnet>> networks = new LinkedHashMap<>();
  private final Map<String, Vm> vms = new LinkedHashMap<>();
  private final List<External> externals = new ArrayList<>();

  private LabCloud(Lab lab) {
    this.lab = lab;
  }

  /** A fresh lab with hosts {@code wl-NAME} at PAs 192.168.77.1, .2, ... and an agent on each. */
  public static LabCloud start(Encapsulation encapsulation, List<String> hostNames)
      throws IOException {
    Lab lab = Lab.start();
    LabCloud cloud = new LabCloud(lab);
    try {
      for (int i = 0; i < hostNames.size(); i++) {
        cloud.addHost(hostNames.get(i), i + 1, encapsulation);
      }
    } catch (IOException | RuntimeException e) {
      cloud.close();
      throw e;
    }
    return cloud;
  }

  /**
   * Adds host {@code wl-NAME} at PA 192.168.77.N with an agent, on a logical network with {@code
   * encapsulation} (VM networks live on hosts of one encapsulation).
   */
  public synchronized void addHost(String name, int n, Encapsulation encapsulation)
      throws IOException {
    String ns = lab.host(name, n);
    IpAddress pa = IpAddress.parse(Lab.PA_NET + n);
    LeaseBook leases = new LeaseBook(LeaseAuthority.TABLE_ONLY);
    HostTable empty = HostTable.empty(name, encapsulation, pa);
    TapLocator taps = portId -> new TapLocator.Location("eth0", Lab.PREFIX + portId);
    LinuxHost backend = new LinuxHost(empty, leases, new LinuxHost.Options(ns, taps, 32));
    HostAgent agent = new HostAgent(empty, new BackendForwarder(backend), leases);
    hosts.put(name, new Host(name, ns, pa, backend, agent, encapsulation));
  }

  /**
   * Stops host {@code name}'s agent (its taps stay: persistent), runs {@code whileDown}, then
   * starts a fresh agent that attaches to them again and gives it its table.
   */
  public synchronized void restartAgent(String name, Runnable whileDown) throws IOException {
    Host old = hosts.get(name);
    old.backend().close();
    whileDown.run();
    hosts.remove(name);
    LeaseBook leases = new LeaseBook(LeaseAuthority.TABLE_ONLY);
    HostTable empty = HostTable.empty(name, old.encapsulation(), old.pa());
    TapLocator taps = portId -> new TapLocator.Location("eth0", Lab.PREFIX + portId);
    LinuxHost backend = new LinuxHost(empty, leases, new LinuxHost.Options(old.ns(), taps, 32));
    HostAgent agent = new HostAgent(empty, new BackendForwarder(backend), leases);
    hosts.put(name, new Host(name, old.ns(), old.pa(), backend, agent, old.encapsulation()));
    push();
  }

  /**
   * Moves every host to {@code encapsulation} and pushes the tables: each agent closes its underlay
   * socket and opens one for the new encapsulation, and the VMs keep their taps.
   */
  public synchronized void encapsulation(Encapsulation encapsulation) {
    hosts.replaceAll(
        (name, h) -> new Host(h.name(), h.ns(), h.pa(), h.backend(), h.agent(), encapsulation));
    push();
  }

  public Lab lab() {
    return lab;
  }

  public Host host(String name) {
    return hosts.get(name);
  }

  public Vm vm(String name) {
    return vms.get(name);
  }

  public synchronized void network(UUID id, VmSubnet... subnets) {
    networks.put(id, List.of(subnets));
  }

  /**
   * Makes VM {@code name} on {@code host}: its namespace and tap (as the hypervisor would), and,
   * for {@link AddressingMode#STATIC}, its address and default route. Call {@link #push()} after.
   */
  public synchronized Vm vm(
      String name,
      String host,
      UUID network,
      int vsid,
      String mac,
      String ip,
      AddressingMode addressing)
      throws IOException {
    VmSubnet subnet =
        networks.get(network).stream().filter(s -> s.vsid() == vsid).findFirst().orElseThrow();
    Vm vm =
        new Vm(
            name,
            Lab.PREFIX + name,
            host,
            network,
            vsid,
            MacAddress.parse(mac),
            IpAddress.parse(ip),
            addressing);
    lab.vm(name, mac, OVERLAY_MTU);
    if (addressing == AddressingMode.STATIC) {
      lab.address(vm.ns(), ip + "/" + subnet.prefix().length(), subnet.gateway().toString());
    }
    vms.put(name, vm);
    return vm;
  }

  /** Moves a VM to another host (its namespace and tap stay; the new host's agent attaches). */
  public synchronized void place(String vmName, String host) {
    Vm v = vms.get(vmName);
    vms.put(
        vmName,
        new Vm(v.name(), v.ns(), host, v.network(), v.vsid(), v.mac(), v.ip(), v.addressing()));
  }

  /** A machine Weft does not run (an external NVGRE/VXLAN endpoint) in VM network {@code id}. */
  public synchronized void external(UUID network, int vsid, String ca, String mac, String pa) {
    externals.add(
        new External(
            network,
            new LookupRecord(
                vsid, IpAddress.parse(ca), MacAddress.parse(mac), IpAddress.parse(pa))));
  }

  /** Compiles every host's table from the intent and applies it as a snapshot. */
  public synchronized void push() {
    for (Host h : hosts.values()) {
      HostTable next = tableFor(h, h.agent().generation() + 1);
      HostAgent.ApplyResult r = h.agent().apply(new TableMessage.Snapshot(next));
      if (!r.applied()) {
        throw new IllegalStateException("table refused on " + h.name() + ": " + r.rejection());
      }
    }
  }

  HostTable tableFor(Host host, long generation) {
    List<VmNetworkTable> tables = new ArrayList<>();
    for (Map.Entry<UUID, List<VmSubnet>> n : networks.entrySet()) {
      List<LookupRecord> records = new ArrayList<>();
      List<PortEntry> ports = new ArrayList<>();
      for (Vm vm : vms.values()) {
        if (!vm.network().equals(n.getKey())) {
          continue;
        }
        records.add(new LookupRecord(vm.vsid(), vm.ip(), vm.mac(), hosts.get(vm.host()).pa()));
        if (vm.host().equals(host.name())) {
          ports.add(
              PortEntry.guarded(vm.name(), vm.vsid(), vm.mac(), vm.addressing(), List.of(vm.ip())));
        }
      }
      for (External e : externals) {
        if (e.network().equals(n.getKey())) {
          records.add(e.record());
        }
      }
      if (!ports.isEmpty()) {
        tables.add(new VmNetworkTable(n.getKey(), n.getValue(), records, ports));
      }
    }
    return new HostTable(
        host.name(), generation, host.encapsulation(), host.pa(), OVERLAY_MTU, tables);
  }

  /** Runs a command inside VM {@code name}'s namespace. */
  public Lab.Result exec(String vmName, Duration timeout, String... cmd) {
    return lab.tryExec(Lab.PREFIX + vmName, timeout, cmd);
  }

  public CounterSnapshot counters(String host) {
    return hosts.get(host).backend().counters().join();
  }

  /** Stops the agents (their taps stay), then removes every namespace the lab made. */
  @Override
  public void close() {
    for (Host h : hosts.values()) {
      try {
        h.backend().close();
      } catch (IOException e) {
        // the namespaces go next, with the devices in them
      }
    }
    lab.close();
  }
}
