package io.weft.fabric.internal;

import io.weft.fabric.Caller;
import io.weft.fabric.ConflictException;
import io.weft.fabric.FabricEvent;
import io.weft.fabric.HostId;
import io.weft.fabric.InvalidRequestException;
import io.weft.fabric.NewVm;
import io.weft.fabric.NotFoundException;
import io.weft.fabric.Page;
import io.weft.fabric.PageRequest;
import io.weft.fabric.TenantId;
import io.weft.fabric.Vm;
import io.weft.fabric.VmId;
import io.weft.fabric.VmNetworkId;
import io.weft.fabric.VmSearch;
import io.weft.fabric.VmService;
import io.weft.fabric.VmState;
import io.weft.fabric.Vnic;
import io.weft.fabric.VnicId;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.Collection;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

@Service
class JdbcVmService implements VmService {

  private final JdbcClient jdbc;
  private final FabricOperations operations;
  private final Authorizer authorizer;
  private final QuotaGuard quotas;
  private final VnicAddressing addressing;
  private final VmPlacements placements;
  private final VmRows rows;
  private final ApplicationEventPublisher events;
  private final Clock clock;

  JdbcVmService(
      JdbcClient jdbc,
      FabricOperations operations,
      Authorizer authorizer,
      QuotaGuard quotas,
      VnicAddressing addressing,
      VmPlacements placements,
      VmRows rows,
      ApplicationEventPublisher events,
      Clock clock) {
    this.jdbc = jdbc;
    this.operations = operations;
    this.authorizer = authorizer;
    this.quotas = quotas;
    this.addressing = addressing;
    this.placements = placements;
    this.rows = rows;
    this.events = events;
    this.clock = clock;
  }

  @Override
  public Vm createVm(Caller caller, TenantId tenantId, NewVm request) {
    if (request == null) {
      throw new InvalidRequestException("a body with name and nics is required");
    }
    String name = Names.require(request.name(), "name");
    if (request.nics() == null || request.nics().isEmpty()) {
      throw new InvalidRequestException("a VM needs at least one vNIC", "nics");
    }
    if (request.nics().size() > 8) {
      throw new InvalidRequestException("a VM may have at most 8 vNICs", "nics");
    }
    return operations.change(
        caller,
        tenantId,
        "vm.create",
        vm -> vm.id() + " " + name,
        () -> {
          TenantRecord tenant = authorizer.writableTenant(caller, tenantId);
          quotas.requireRoom(tenant, 0, 0, 1, request.nics().size());
          TenantScopedName.VM.requireFree(jdbc, tenantId, name, null);
          VmId id = VmId.random();
          jdbc.sql(
                  "INSERT INTO fabric_vm (id, tenant_id, name, state, created_at)"
                      + " VALUES (:id, :tenant, :name, 'PENDING', :at)")
              .param("id", id.value())
              .param("tenant", tenantId.value())
              .param("name", name)
              .param("at", Timestamp.from(clock.instant()))
              .update();
          for (int i = 0; i < request.nics().size(); i++) {
            addressing.createVnic(tenantId, id, i, request.nics().get(i));
          }
          placements.place(tenantId, id);
          return view(caller, tenantId, id);
        });
  }

  @Override
  public List<Vm> listVms(Caller caller, TenantId tenantId) {
    return operations.read(() -> {
      authorizer.readableTenant(caller, tenantId);
      return rows.ofTenant(tenantId, caller.isOperator());
    });
  }

  @Override
  public Page<Vm> pageVms(Caller caller, TenantId tenantId, String nameContains, PageRequest page) {
    VmSearch search = VmSearch.of(nameContains);
    return operations.read(() -> {
      authorizer.readableTenant(caller, tenantId);
      return rows.page(tenantId, search, page, caller.isOperator());
    });
  }

  @Override
  public Vm getVm(Caller caller, TenantId tenantId, VmId id) {
    return operations.read(() -> {
      authorizer.readableTenant(caller, tenantId);
      return view(caller, tenantId, id);
    });
  }

  @Override
  public Vm renameVm(Caller caller, TenantId tenantId, VmId id, String name) {
    String clean = Names.require(name, "name");
    return operations.change(
        caller,
        tenantId,
        "vm.rename",
        vm -> id + " " + clean,
        () -> {
          authorizer.writableTenant(caller, tenantId);
          view(caller, tenantId, id);
          TenantScopedName.VM.requireFree(jdbc, tenantId, clean, id.value());
          jdbc.sql("UPDATE fabric_vm SET name = :name WHERE id = :id")
              .param("name", clean)
              .param("id", id.value())
              .update();
          return view(caller, tenantId, id);
        });
  }

  @Override
  public void deleteVm(Caller caller, TenantId tenantId, VmId id) {
    operations.change(
        caller,
        tenantId,
        "vm.delete",
        id.toString(),
        () -> {
          authorizer.writableTenant(caller, tenantId);
          Vm vm = view(caller, tenantId, id);
          VmRows.VmRecord record = rows.find(id).orElseThrow();
          for (Vnic nic : vm.nics()) {
            addressing.release(nic);
          }
          jdbc.sql("DELETE FROM fabric_vnic WHERE vm_id = :id").param("id", id.value()).update();
          jdbc.sql("DELETE FROM fabric_vm WHERE id = :id").param("id", id.value()).update();
          placements.removed(record.hostId());
          List<VmNetworkId> networks =
              vm.nics().stream().map(Vnic::vmNetworkId).distinct().toList();
          events.publishEvent(new FabricEvent.VmDeleted(tenantId, id, record.hostId(), networks));
        });
  }

  @Override
  public List<Vm> listAllVms(Caller caller) {
    return operations.read(() -> {
      authorizer.requireOperator(caller, "list every tenant's VMs");
      return rows.all();
    });
  }

  @Override
  public Page<Vm> pageAllVms(Caller caller, String nameContains, PageRequest page) {
    VmSearch search = VmSearch.of(nameContains);
    return operations.read(() -> {
      authorizer.requireOperator(caller, "list every tenant's VMs");
      return rows.page(null, search, page, true);
    });
  }

  @Override
  public List<Vm> findVms(Caller caller, Collection<VmId> ids) {
    return operations.read(() -> {
      authorizer.requireOperator(caller, "list every tenant's VMs");
      return rows.withIds(ids.stream().map(VmId::value).toList());
    });
  }

  @Override
  public List<Vm> findVmsByVnic(Caller caller, Collection<VnicId> vnicIds) {
    return operations.read(() -> {
      authorizer.requireOperator(caller, "list every tenant's VMs");
      return rows.withVnics(vnicIds.stream().map(VnicId::value).toList());
    });
  }

  @Override
  public Map<VmState, Long> countVmsByState(Caller caller) {
    return operations.read(() -> {
      authorizer.requireOperator(caller, "count every tenant's VMs");
      Map<VmState, Long> counts = new EnumMap<>(VmState.class);
      for (VmState state : VmState.values()) {
        counts.put(state, 0L);
      }
      jdbc.sql("SELECT state, count(*) FROM fabric_vm GROUP BY state")
          .query((rs, n) -> counts.put(VmState.valueOf(rs.getString(1)), rs.getLong(2)))
          .list();
      return counts;
    });
  }

  @Override
  public Vm migrate(Caller caller, VmId id, HostId target) {
    authorizer.requireOperator(caller, "migrate VMs");
    VmRows.VmRecord vm =
        operations
            .read(() -> rows.find(id))
            .orElseThrow(() -> new NotFoundException("no such VM", "vmId"));
    return operations.change(
        caller,
        vm.tenantId(),
        "vm.migrate",
        v -> id + " " + vm.hostId() + " -> " + target,
        () -> {
          VmRows.VmRecord current =
              rows.find(id).orElseThrow(() -> new NotFoundException("no such VM", "vmId"));
          if (current.hostId() == null) {
            throw new ConflictException("the VM is not placed on any host yet", "vmId");
          }
          placements.move(current.tenantId(), id, current.hostId(), target);
          return view(caller, current.tenantId(), id);
        });
  }

  @Override
  public String leaseDhcpAddress(HostId host, VnicId vnic) {
    Caller system = Caller.system("dhcp");
    VnicAddressing.VnicRecord nic =
        operations
            .read(() -> addressing.find(vnic))
            .orElseThrow(() -> new NotFoundException("no such vNIC", "vnicId"));
    return operations.change(
        system,
        nic.tenantId(),
        "vnic.dhcp-lease",
        address -> vnic + " " + address,
        () -> {
          VmRows.VmRecord vm =
              rows.find(nic.vmId())
                  .orElseThrow(() -> new NotFoundException("no such vNIC", "vnicId"));
          if (!host.equals(vm.hostId())) {
            throw new NotFoundException("no such vNIC on this host", "vnicId");
          }
          return addressing.leaseDhcp(nic);
        });
  }

  @Override
  public boolean reclaimDhcpAddress(Caller caller, VnicId vnic, String address) {
    authorizer.requireOperator(caller, "reclaim DHCP leases");
    VnicAddressing.VnicRecord nic = vnicRecord(vnic);
    return operations.change(
        caller,
        nic.tenantId(),
        "vnic.dhcp-reclaim",
        reclaimed -> vnic + " " + address + (reclaimed ? " reclaimed" : " not reclaimed (changed)"),
        () -> addressing.reclaimDhcp(nic, address));
  }

  @Override
  public String reassignVnicAddress(Caller caller, VnicId vnic, String address, String fromOwner) {
    authorizer.requireOperator(caller, "re-assign addresses");
    VnicAddressing.VnicRecord nic = vnicRecord(vnic);
    return operations.change(
        caller,
        nic.tenantId(),
        "vnic.reassign",
        assigned ->
            vnic
                + " "
                + nic.address()
                + " -> "
                + assigned
                + (fromOwner == null ? "" : " (was " + fromOwner + ")"),
        () -> addressing.reassign(nic, address, fromOwner));
  }

  private VnicAddressing.VnicRecord vnicRecord(VnicId vnic) {
    return operations
        .read(() -> addressing.find(vnic))
        .orElseThrow(() -> new NotFoundException("no such vNIC", "vnicId"));
  }

  private Vm view(Caller caller, TenantId tenantId, VmId id) {
    return rows.one(tenantId, id, caller.isOperator())
        .orElseThrow(() -> new NotFoundException("no such VM", "vmId"));
  }
}
