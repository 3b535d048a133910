package io.weft.fabric.internal;

import io.weft.fabric.AddressRange;
import io.weft.fabric.Caller;
import io.weft.fabric.ConflictException;
import io.weft.fabric.DhcpRange;
import io.weft.fabric.DhcpRangeId;
import io.weft.fabric.FabricEvent;
import io.weft.fabric.NetworkService;
import io.weft.fabric.NewDhcpRange;
import io.weft.fabric.NewSubnet;
import io.weft.fabric.NotFoundException;
import io.weft.fabric.Subnet;
import io.weft.fabric.SubnetId;
import io.weft.fabric.TenantId;
import io.weft.fabric.Utilisation;
import io.weft.fabric.VmNetwork;
import io.weft.fabric.VmNetworkId;
import io.weft.ipam.PoolUsage;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.List;
import java.util.UUID;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/** VM networks and the façade for subnets and DHCP ranges (whose rules live in SubnetRules). */
@Service
class JdbcNetworkService implements NetworkService {

  private final JdbcClient jdbc;
  private final FabricOperations operations;
  private final Authorizer authorizer;
  private final QuotaGuard quotas;
  private final SubnetOperations subnets;
  private final DhcpRanges dhcpRanges;
  private final ApplicationEventPublisher events;
  private final Clock clock;

  JdbcNetworkService(
      JdbcClient jdbc,
      FabricOperations operations,
      Authorizer authorizer,
      QuotaGuard quotas,
      SubnetOperations subnets,
      DhcpRanges dhcpRanges,
      ApplicationEventPublisher events,
      Clock clock) {
    this.jdbc = jdbc;
    this.operations = operations;
    this.authorizer = authorizer;
    this.quotas = quotas;
    this.subnets = subnets;
    this.dhcpRanges = dhcpRanges;
    this.events = events;
    this.clock = clock;
  }

  @Override
  public VmNetwork createVmNetwork(Caller caller, TenantId tenantId, String name) {
    String clean = Names.require(name, "name");
    return operations.change(
        caller,
        tenantId,
        "vm-network.create",
        n -> n.id() + " " + clean,
        () -> {
          TenantRecord tenant = authorizer.writableTenant(caller, tenantId);
          quotas.requireRoom(tenant, 1, 0, 0, 0);
          TenantScopedName.VM_NETWORK.requireFree(jdbc, tenantId, clean, null);
          VmNetworkId id = VmNetworkId.random();
          jdbc.sql(
                  "INSERT INTO fabric_vm_network (id, tenant_id, name, created_at)"
                      + " VALUES (:id, :tenant, :name, :at)")
              .param("id", id.value())
              .param("tenant", tenantId.value())
              .param("name", clean)
              .param("at", Timestamp.from(clock.instant()))
              .update();
          events.publishEvent(new FabricEvent.VmNetworkCreated(tenantId, id));
          return load(tenantId, id);
        });
  }

  @Override
  public List<VmNetwork> listVmNetworks(Caller caller, TenantId tenantId) {
    return operations.read(() -> {
      authorizer.readableTenant(caller, tenantId);
      return jdbc.sql(SELECT_NETWORK + " WHERE n.tenant_id = :tenant ORDER BY n.name")
          .param("tenant", tenantId.value())
          .query(JdbcNetworkService::network)
          .list();
    });
  }

  @Override
  public VmNetwork getVmNetwork(Caller caller, TenantId tenantId, VmNetworkId id) {
    return operations.read(() -> {
      authorizer.readableTenant(caller, tenantId);
      return load(tenantId, id);
    });
  }

  @Override
  public VmNetwork renameVmNetwork(Caller caller, TenantId tenantId, VmNetworkId id, String name) {
    String clean = Names.require(name, "name");
    return operations.change(
        caller,
        tenantId,
        "vm-network.rename",
        n -> id + " " + clean,
        () -> {
          authorizer.writableTenant(caller, tenantId);
          load(tenantId, id);
          TenantScopedName.VM_NETWORK.requireFree(jdbc, tenantId, clean, id.value());
          jdbc.sql("UPDATE fabric_vm_network SET name = :name WHERE id = :id")
              .param("name", clean)
              .param("id", id.value())
              .update();
          return load(tenantId, id);
        });
  }

  @Override
  public void deleteVmNetwork(Caller caller, TenantId tenantId, VmNetworkId id) {
    operations.change(
        caller,
        tenantId,
        "vm-network.delete",
        id.toString(),
        () -> {
          authorizer.writableTenant(caller, tenantId);
          VmNetwork network = load(tenantId, id);
          if (network.subnetCount() > 0) {
            throw new ConflictException(
                "the VM network still has "
                    + network.subnetCount()
                    + " subnet(s); delete them first",
                "vmNetworkId");
          }
          jdbc.sql("DELETE FROM fabric_vm_network WHERE id = :id").param("id", id.value()).update();
          events.publishEvent(new FabricEvent.VmNetworkDeleted(tenantId, id));
        });
  }

  @Override
  public Subnet createSubnet(
      Caller caller, TenantId tenantId, VmNetworkId vmNetworkId, NewSubnet subnet) {
    return operations.change(
        caller,
        tenantId,
        "subnet.create",
        s -> s.id() + " " + s.cidr() + " vsid " + s.vsid(),
        () -> {
          TenantRecord tenant = authorizer.writableTenant(caller, tenantId);
          load(tenantId, vmNetworkId);
          quotas.requireRoom(tenant, 0, 1, 0, 0);
          return subnets.create(tenantId, vmNetworkId, subnet);
        });
  }

  @Override
  public List<Subnet> listSubnets(Caller caller, TenantId tenantId, VmNetworkId vmNetworkId) {
    return operations.read(() -> {
      authorizer.readableTenant(caller, tenantId);
      load(tenantId, vmNetworkId);
      return subnets.inNetwork(vmNetworkId).stream().map(subnets::view).toList();
    });
  }

  @Override
  public Subnet getSubnet(Caller caller, TenantId tenantId, SubnetId id) {
    return operations.read(() -> {
      authorizer.readableTenant(caller, tenantId);
      return subnets.view(subnets.require(tenantId, id));
    });
  }

  @Override
  public Subnet renameSubnet(Caller caller, TenantId tenantId, SubnetId id, String name) {
    String clean = Names.require(name, "name");
    return operations.change(
        caller,
        tenantId,
        "subnet.rename",
        s -> id + " " + clean,
        () -> {
          authorizer.writableTenant(caller, tenantId);
          return subnets.rename(subnets.require(tenantId, id), clean);
        });
  }

  @Override
  public void deleteSubnet(Caller caller, TenantId tenantId, SubnetId id) {
    operations.change(
        caller,
        tenantId,
        "subnet.delete",
        id.toString(),
        () -> {
          authorizer.writableTenant(caller, tenantId);
          subnets.delete(subnets.require(tenantId, id));
        });
  }

  @Override
  public DhcpRange addDhcpRange(
      Caller caller, TenantId tenantId, SubnetId subnetId, NewDhcpRange range) {
    return operations.change(
        caller,
        tenantId,
        "dhcp-range.create",
        r -> r.id() + " " + r.start() + "-" + r.end(),
        () -> {
          authorizer.writableTenant(caller, tenantId);
          return dhcpRanges.add(subnets.require(tenantId, subnetId), range);
        });
  }

  @Override
  public List<DhcpRange> listDhcpRanges(Caller caller, TenantId tenantId, SubnetId subnetId) {
    return operations.read(() -> {
      authorizer.readableTenant(caller, tenantId);
      return dhcpRanges.list(subnets.require(tenantId, subnetId));
    });
  }

  @Override
  public DhcpRange getDhcpRange(Caller caller, TenantId tenantId, DhcpRangeId id) {
    return operations.read(() -> {
      authorizer.readableTenant(caller, tenantId);
      return dhcpRanges.get(tenantId, id);
    });
  }

  @Override
  public void deleteDhcpRange(Caller caller, TenantId tenantId, DhcpRangeId id) {
    operations.change(
        caller,
        tenantId,
        "dhcp-range.delete",
        id.toString(),
        () -> {
          authorizer.writableTenant(caller, tenantId);
          dhcpRanges.delete(tenantId, id);
        });
  }

  private static final String SELECT_NETWORK =
      "SELECT n.*, (SELECT count(*) FROM fabric_subnet s WHERE s.vm_network_id = n.id) AS subnets"
          + " FROM fabric_vm_network n";

  private VmNetwork load(TenantId tenantId, VmNetworkId id) {
    return jdbc.sql(SELECT_NETWORK + " WHERE n.id = :id AND n.tenant_id = :tenant")
        .param("id", id.value())
        .param("tenant", tenantId.value())
        .query(JdbcNetworkService::network)
        .optional()
        .orElseThrow(() -> new NotFoundException("no such VM network", "vmNetworkId"));
  }

  private static VmNetwork network(java.sql.ResultSet rs, int row) throws java.sql.SQLException {
    return new VmNetwork(
        new VmNetworkId(rs.getObject("id", UUID.class)),
        new TenantId(rs.getObject("tenant_id", UUID.class)),
        rs.getString("name"),
        rs.getInt("subnets"),
        rs.getTimestamp("created_at").toInstant());
  }

  static Utilisation utilisation(PoolUsage usage) {
    return new Utilisation(usage.size().toString(), usage.allocated().toString(), usage.percent());
  }

  static AddressRange range(String start, String end) {
    return start == null ? null : new AddressRange(start, end);
  }
}
