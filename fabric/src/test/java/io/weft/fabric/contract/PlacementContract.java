package io.weft.fabric.contract;

import static org.assertj.core.api.Assertions.assertThat;

import io.weft.fabric.ConflictException;
import io.weft.fabric.Host;
import io.weft.fabric.HostId;
import io.weft.fabric.HostState;
import io.weft.fabric.NewHost;
import io.weft.fabric.Subnet;
import io.weft.fabric.Vm;
import io.weft.fabric.VmState;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * What placement promises whichever host it picks: no host ever holds more VMs than its slots, a
 * host that is not READY (registering, draining, down) gets no new VM, a VM finds no room waits
 * PENDING until a host becomes READY, and draining moves VMs to hosts with room. Which host is
 * chosen is the policy's business and is not asserted.
 *
 * <p>Each test runs with the hosts it registers as the only READY ones: the others (left by other
 * contract classes sharing this context) are DOWN meanwhile and READY again afterwards.
 */
abstract class PlacementContract extends FabricContract {

  private final List<HostId> parked = new ArrayList<>();
  private final List<Runnable> cleanUp = new ArrayList<>();

  private void onlyNewHostsReady() {
    for (Host h : hosts.listHosts(OPERATOR)) {
      if (h.state() == HostState.READY) {
        hosts.setHostState(OPERATOR, h.id(), HostState.DOWN);
        parked.add(h.id());
      }
    }
  }

  private void restore() {
    cleanUp.forEach(Runnable::run);
    parked.forEach(h -> hosts.setHostState(OPERATOR, h, HostState.READY));
  }

  private Host host(HostId id) {
    return hosts.getHost(OPERATOR, id);
  }

  private int freeSlots(List<HostId> ids) {
    return ids.stream().map(this::host).mapToInt(h -> h.vmSlots() - h.vmCount()).sum();
  }

  private Vm tracked(Tenancy t, Vm vm) {
    cleanUp.add(() -> vms.deleteVm(OPERATOR, t.id(), vm.id()));
    return vm;
  }

  @Test
  @Covers({"VmService.createVm", "HostService.setHostState", "HostService.registerHost"})
  void noHostExceedsItsSlotsAndOnlyReadyHostsTakeNewVms() {
    onlyNewHostsReady();
    try {
      String ln = logicalNetwork();
      HostId registering =
          hosts.registerHost(OPERATOR, new NewHost("h-" + tag(), ln, null, 8)).host().id();
      HostId draining = readyHost(ln, 8).host().id();
      hosts.setHostState(OPERATOR, draining, HostState.DRAINING);
      HostId down = readyHost(ln, 8).host().id();
      hosts.setHostState(OPERATOR, down, HostState.DOWN);
      List<HostId> ready = List.of(readyHost(ln, 2).host().id(), readyHost(ln, 3).host().id());
      // VMs earlier tests left PENDING took slots as these hosts became READY: count from here.
      int free = freeSlots(ready);
      assertThat(free).as("room on the new hosts").isPositive();
      List<HostId> notReady = List.of(registering, draining, down);
      List<Integer> before = notReady.stream().map(h -> host(h).vmCount()).toList();
      Tenancy a = newTenant();
      Subnet s = subnet(a, network(a), "10.60.0.0/24");
      List<Vm> made = new ArrayList<>();
      for (int i = 0; i < free + 2; i++) {
        made.add(tracked(a, vm(a, "vm-" + i, dhcpNic(s))));
      }
      List<Vm> seen = vms.findVms(OPERATOR, made.stream().map(Vm::id).toList());
      assertThat(seen).filteredOn(v -> v.state() == VmState.RUNNING).hasSize(free);
      assertThat(seen)
          .filteredOn(v -> v.state() == VmState.PENDING)
          .hasSize(2)
          .allMatch(v -> v.placement().isEmpty());
      assertThat(seen)
          .filteredOn(v -> v.placement().isPresent())
          .allMatch(v -> ready.contains(v.placement().get().hostId()));
      for (HostId h : ready) {
        assertThat(host(h).vmCount()).isEqualTo(host(h).vmSlots());
      }
      assertThat(notReady.stream().map(h -> host(h).vmCount()).toList())
          .as("registering, draining and down hosts took no new VM")
          .isEqualTo(before);

      hosts.setHostState(OPERATOR, down, HostState.READY);
      assertThat(vms.findVms(OPERATOR, made.stream().map(Vm::id).toList()))
          .as("a host becoming READY takes the waiting VMs")
          .allMatch(v -> v.state() == VmState.RUNNING);
      int onDown = before.get(2) + 2;
      assertThat(host(down).vmCount()).isEqualTo(onDown);
      HostId drained = ready.getFirst();
      int moving = host(drained).vmCount();
      hosts.setHostState(OPERATOR, drained, HostState.DRAINING);
      assertThat(host(drained).vmCount()).as("drained to the host with room").isZero();
      assertThat(host(down).vmCount()).isEqualTo(onDown + moving);
      assertThat(host(down).vmCount()).isLessThanOrEqualTo(host(down).vmSlots());
    } finally {
      restore();
    }
  }

  @Test
  @Covers("VmService.createVm")
  void concurrentCreatesNeverOverfillAHost() throws Exception {
    onlyNewHostsReady();
    try {
      String ln = logicalNetwork();
      List<HostId> ready = List.of(readyHost(ln, 2).host().id(), readyHost(ln, 2).host().id());
      int free = freeSlots(ready);
      int burst = free + 3;
      List<Tenancy> tenants = new ArrayList<>();
      List<Subnet> subnets = new ArrayList<>();
      for (int i = 0; i < burst; i++) {
        Tenancy t = newTenant();
        tenants.add(t);
        subnets.add(subnet(t, network(t), "10.61.0.0/24"));
      }
      List<Callable<Vm>> creates = new ArrayList<>();
      for (int i = 0; i < burst; i++) {
        Tenancy t = tenants.get(i);
        Subnet s = subnets.get(i);
        creates.add(() -> tracked(t, createRetrying(t, s)));
      }
      List<Vm> made = new ArrayList<>();
      try (ExecutorService pool = Executors.newFixedThreadPool(burst)) {
        for (Future<Vm> f : pool.invokeAll(creates)) {
          made.add(f.get());
        }
      }
      for (HostId h : ready) {
        assertThat(host(h).vmCount()).isEqualTo(host(h).vmSlots());
      }
      List<Vm> seen = vms.findVms(OPERATOR, made.stream().map(Vm::id).toList());
      assertThat(seen).filteredOn(v -> v.state() == VmState.RUNNING).hasSize(free);
      assertThat(seen).filteredOn(v -> v.state() == VmState.PENDING).hasSize(3);
    } finally {
      restore();
    }
  }

  /** One create, retried when it lost a race the fabric reports as "please retry". */
  private Vm createRetrying(Tenancy t, Subnet s) {
    for (int attempt = 1; ; attempt++) {
      try {
        return vm(t, "burst", dhcpNic(s));
      } catch (ConflictException e) {
        if (e.field().isPresent() || attempt == 5) {
          throw e;
        }
      }
    }
  }
}
