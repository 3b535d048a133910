package io.weft.fabric.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.weft.fabric.Caller;
import io.weft.fabric.ConflictException;
import io.weft.fabric.FabricTestApplication;
import io.weft.fabric.HostId;
import io.weft.fabric.HostService;
import io.weft.fabric.HostState;
import io.weft.fabric.NetworkService;
import io.weft.fabric.NewHost;
import io.weft.fabric.NewLogicalNetwork;
import io.weft.fabric.NewSubnet;
import io.weft.fabric.NewVm;
import io.weft.fabric.NewVnic;
import io.weft.fabric.Quotas;
import io.weft.fabric.SignupRequest;
import io.weft.fabric.Subnet;
import io.weft.fabric.TenantId;
import io.weft.fabric.TenantService;
import io.weft.fabric.Vm;
import io.weft.fabric.VmService;
import io.weft.fabric.VmState;
import io.weft.fabric.identity.AccountId;
import io.weft.fabric.identity.Role;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Placement under concurrency, on a database of its own (a subclass per database): a burst of VM
 * creates spreads over the hosts instead of queueing on the one they all rank first, never puts
 * more VMs on a host than its slots, and still waits (and re-checks) when every host with room is
 * held by another transaction. Each test retires the previous tests' hosts and pending VMs, so
 * placements see only its own.
 */
@SpringBootTest(
    classes = FabricTestApplication.class,
    properties = "weft.test.database=placement") // a context, and so a database, of its own
abstract class ConcurrentPlacementContract {

  /**
   * Tenants whose VMs are created at once: one tenant's creates queue on its row (quotas), so a
   * burst of one tenant's VMs would never have two placements in flight together.
   */
  private static final int TENANTS = 8;

  static final Caller OPERATOR =
      new Caller(new AccountId(UUID.randomUUID()), "op", Role.OPERATOR, Optional.empty());

  @Autowired HostService hosts;
  @Autowired TenantService tenants;
  @Autowired NetworkService networks;
  @Autowired VmService vms;
  @Autowired JdbcClient jdbc;
  @Autowired DataSource dataSource;

  /** A tenant's admin and a subnet to put VMs in; a tenant's changes run one at a time. */
  private record Tenancy(TenantId id, Caller admin, Subnet subnet) {}

  private final List<Tenancy> tenancies = new ArrayList<>();
  private int nextAddress = 10;

  @BeforeEach
  void tenantsAndNoOtherTestsHostsOrPendingVms() {
    jdbc.sql("UPDATE fabric_host SET state = 'DOWN'").update();
    // A host that becomes ready takes the pending VMs first: they would skew this test's ranks.
    vms.listAllVms(OPERATOR).stream()
        .filter(v -> v.state() == VmState.PENDING)
        .forEach(v -> vms.deleteVm(OPERATOR, v.tenantId(), v.id()));
    tenancies.clear();
    for (int i = 0; i < TENANTS; i++) {
      String tag = UUID.randomUUID().toString().substring(0, 8);
      TenantId id =
          tenants
              .signup(
                  new SignupRequest("Org " + tag, "a-" + tag + "@example.com", "Password-123456"))
              .id();
      tenants.updateQuotas(OPERATOR, id, new Quotas(10, 10, 1000, 1000, 5));
      Caller admin =
          new Caller(new AccountId(UUID.randomUUID()), "t", Role.TENANT_ADMIN, Optional.of(id));
      var network = networks.createVmNetwork(admin, id, "net");
      Subnet subnet =
          networks.createSubnet(
              admin, id, network.id(), new NewSubnet("s", "10.1.0.0/24", null, List.of()));
      tenancies.add(new Tenancy(id, admin, subnet));
    }
  }

  @Test
  void aBurstLargerThanTheSlotsFillsEveryHostExactlyAndLeavesTheRestPending() throws Exception {
    List<HostId> ready = readyHosts(5, 4);

    List<Vm> created = createConcurrently(32);

    Map<HostId, Integer> placed = placedPerHost();
    assertThat(placed.keySet()).containsExactlyInAnyOrderElementsOf(ready);
    assertThat(placed.values()).as("VMs per host, 4 slots each").allMatch(n -> n == 4);
    assertThat(pending(created)).as("VMs left PENDING for want of a slot").isEqualTo(12);
    assertThat(vmCountColumns(ready)).as("fabric_host.vm_count").isEqualTo(placed);
  }

  @Test
  void aBurstSpreadsOverTheHostsInsteadOfPilingOntoTheFirstRanked() throws Exception {
    List<HostId> ready = readyHosts(8, 50);

    createConcurrently(40);

    Map<HostId, Integer> placed = placedPerHost();
    assertThat(placed.keySet()).as("hosts used").containsExactlyInAnyOrderElementsOf(ready);
    assertThat(placed.values())
        .as("VMs per host (5 each if perfectly even): %s", placed.values())
        .allMatch(n -> n <= 10);
    assertThat(vmCountColumns(ready)).isEqualTo(placed);
  }

  @Test
  void aPlacementTakesTheNextHostInsteadOfWaitingForOneAnotherTransactionHolds() throws Exception {
    List<HostId> ready = readyHosts(3, 10); // equal: ranked by name, h0 first

    try (Connection holder = dataSource.getConnection()) {
      hold(holder, ready.get(0));
      Future<Vm> vm = CompletableFuture.supplyAsync(() -> create("while-held"));
      Vm placed = vm.get(5, TimeUnit.SECONDS); // waiting for h0 would never end here
      assertThat(hostOf(placed)).isEqualTo(ready.get(1));
      holder.rollback();
    }
  }

  @Test
  void whenEveryHostWithRoomIsHeldAPlacementWaitsAndRechecksTheSlots() throws Exception {
    List<HostId> ready = readyHosts(1, 2);
    create("first");

    try (Connection holder = dataSource.getConnection()) {
      hold(holder, ready.get(0));
      Future<Vm> freed = CompletableFuture.supplyAsync(() -> create("after-release"));
      Thread.sleep(300);
      assertThat(freed).as("it waits for the held host").isNotDone();
      holder.rollback();
      assertThat(hostOf(freed.get(10, TimeUnit.SECONDS))).isEqualTo(ready.get(0));
    }

    // Now the holder takes the last slot itself: the waiting placement finds none left.
    jdbc.sql("UPDATE fabric_host SET vm_slots = 3 WHERE id = :id")
        .param("id", ready.get(0).value())
        .update();
    try (Connection holder = dataSource.getConnection()) {
      hold(holder, ready.get(0));
      Future<Vm> late = CompletableFuture.supplyAsync(() -> create("too-late"));
      Thread.sleep(300);
      try (PreparedStatement fill =
          holder.prepareStatement("UPDATE fabric_host SET vm_count = vm_slots WHERE id = ?")) {
        fill.setObject(1, ready.get(0).value());
        fill.executeUpdate();
      }
      holder.commit();
      Vm vm = late.get(10, TimeUnit.SECONDS);
      assertThat(vm.state()).isEqualTo(VmState.PENDING);
    }
  }

  private List<HostId> readyHosts(int count, int slots) {
    String tag = UUID.randomUUID().toString().substring(0, 8);
    String ln =
        hosts
            .createLogicalNetwork(
                OPERATOR, new NewLogicalNetwork("ln-" + tag, "10.201.0.0/16", "VXLAN", 1500))
            .id()
            .toString();
    List<HostId> ids = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      HostId id =
          hosts
              .registerHost(OPERATOR, new NewHost("h" + i + "-" + tag, ln, null, slots))
              .host()
              .id();
      hosts.setHostState(OPERATOR, id, HostState.READY);
      ids.add(id);
    }
    return ids;
  }

  /** {@code n} VM creates released at once, each retried on a "please retry" as a client would. */
  private List<Vm> createConcurrently(int n) throws Exception {
    CountDownLatch go = new CountDownLatch(1);
    List<Future<Vm>> futures = new ArrayList<>();
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int i = 0; i < n; i++) {
        String name = "burst-" + i;
        Tenancy tenancy = tenancies.get(i % TENANTS);
        futures.add(
            pool.submit(() -> {
              go.await();
              return create(tenancy, name);
            }));
      }
      go.countDown();
    }
    List<Vm> created = new ArrayList<>();
    for (Future<Vm> f : futures) {
      created.add(f.get());
    }
    return created;
  }

  private Vm create(String name) {
    return create(tenancies.get(0), name);
  }

  private Vm create(Tenancy tenancy, String name) {
    String address;
    synchronized (this) {
      address = "10.1.0." + nextAddress++;
    }
    NewVm request =
        new NewVm(name, List.of(new NewVnic(tenancy.subnet().id().toString(), "STATIC", address)));
    for (int attempt = 0; ; attempt++) {
      try {
        return vms.createVm(tenancy.admin(), tenancy.id(), request);
      } catch (ConflictException e) {
        if (attempt >= 10 || !e.getMessage().contains("please retry")) {
          throw e;
        }
      }
    }
  }

  private static void hold(Connection holder, HostId host) throws Exception {
    holder.setAutoCommit(false);
    try (PreparedStatement lock =
        holder.prepareStatement("SELECT id FROM fabric_host WHERE id = ? FOR UPDATE")) {
      lock.setObject(1, host.value());
      lock.executeQuery().close();
    }
  }

  private HostId hostOf(Vm vm) {
    return new HostId(
        jdbc.sql("SELECT host_id FROM fabric_vm WHERE id = :id")
            .param("id", vm.id().value())
            .query(UUID.class)
            .single());
  }

  private static long pending(List<Vm> created) {
    return created.stream().filter(v -> v.state() == VmState.PENDING).count();
  }

  /** VMs per host, counted from the VMs themselves (every host up now is this test's). */
  private Map<HostId, Integer> placedPerHost() {
    Map<HostId, Integer> placed = new HashMap<>();
    jdbc.sql(
            "SELECT v.host_id, count(*) FROM fabric_vm v JOIN fabric_host h ON h.id = v.host_id"
                + " WHERE h.state = 'READY' GROUP BY v.host_id")
        .query((ResultSet rs) -> {
          placed.put(new HostId(rs.getObject(1, UUID.class)), rs.getInt(2));
        });
    return placed;
  }

  private Map<HostId, Integer> vmCountColumns(List<HostId> ids) {
    Map<HostId, Integer> counts = new HashMap<>();
    for (HostId id : ids) {
      int n =
          jdbc.sql("SELECT vm_count FROM fabric_host WHERE id = :id")
              .param("id", id.value())
              .query(Integer.class)
              .single();
      if (n > 0) {
        counts.put(id, n);
      }
    }
    return counts;
  }
}
