package io.weft.fabric.internal;

import io.weft.fabric.Caller;
import io.weft.fabric.ConflictException;
import io.weft.fabric.Encapsulation;
import io.weft.fabric.ExternalHost;
import io.weft.fabric.ExternalHostId;
import io.weft.fabric.ExternalHostService;
import io.weft.fabric.ExternalMachine;
import io.weft.fabric.ExternalMachineId;
import io.weft.fabric.FabricEvent;
import io.weft.fabric.InvalidRequestException;
import io.weft.fabric.LogicalNetworkId;
import io.weft.fabric.NewExternalHost;
import io.weft.fabric.NewExternalMachine;
import io.weft.fabric.NotFoundException;
import io.weft.fabric.SubnetId;
import io.weft.fabric.TenantId;
import io.weft.fabric.VmNetworkId;
import io.weft.ipam.AddressPoolService;
import io.weft.ipam.IpAddressValue;
import io.weft.ipam.IpFamily;
import io.weft.ipam.IpPrefix;
import io.weft.ipam.PoolId;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/**
 * External endpoints and their machines. Addresses are reserved where Weft hands out its own: the
 * endpoint's PA in its logical network's pool (no host gets it later), each machine's CA in its
 * subnet's pool (no VM gets it), and a MAC inside Weft's block in the MAC pool. Each admitted or
 * withdrawn machine is published as a {@link FabricEvent}, so the table compiler updates the hosts
 * that share its VM network in the same transaction.
 */
@Service
class JdbcExternalHostService implements ExternalHostService {

  private static final int MAX_MACHINES = 1000;

  private final JdbcClient jdbc;
  private final FabricOperations operations;
  private final Authorizer authorizer;
  private final AddressPoolService pools;
  private final ExternalMachines machines;
  private final Clock clock;

  JdbcExternalHostService(
      JdbcClient jdbc,
      FabricOperations operations,
      Authorizer authorizer,
      AddressPoolService pools,
      ExternalMachines machines,
      Clock clock) {
    this.jdbc = jdbc;
    this.operations = operations;
    this.authorizer = authorizer;
    this.pools = pools;
    this.machines = machines;
    this.clock = clock;
  }

  @Override
  public ExternalHost register(Caller caller, NewExternalHost request) {
    authorizer.requireOperator(caller, "register external hosts");
    if (request == null) {
      throw new InvalidRequestException(
          "a body with name, logicalNetworkId and providerAddress is required");
    }
    String name = Names.require(request.name(), "name");
    if (request.logicalNetworkId() == null || request.logicalNetworkId().isBlank()) {
      throw new InvalidRequestException("logicalNetworkId is required", "logicalNetworkId");
    }
    LogicalNetworkId networkId = LogicalNetworkId.parse(request.logicalNetworkId());
    if (request.providerAddress() == null || request.providerAddress().isBlank()) {
      throw new InvalidRequestException(
          "providerAddress is required: the endpoint's IPv4 address on the logical network",
          "providerAddress");
    }
    IpAddressValue pa = IpAddressValue.parse(request.providerAddress().strip(), "providerAddress");
    if (pa.family() != IpFamily.V4) {
      throw new InvalidRequestException(
          "providerAddress must be IPv4 (format version 1 has IPv4 underlays only)",
          "providerAddress");
    }
    List<NewExternalMachine> wanted = request.machines() == null ? List.of() : request.machines();
    if (wanted.size() > MAX_MACHINES) {
      throw new InvalidRequestException(
          "at most " + MAX_MACHINES + " machines per request", "machines");
    }
    return operations.change(
        caller,
        null,
        "external-host.register",
        h -> h.id() + " " + name + " " + h.providerAddress(),
        () -> {
          PoolId pool = logicalNetworkPool(networkId);
          if (jdbc.sql("SELECT count(*) FROM fabric_external_host WHERE name = :n")
                  .param("n", name)
                  .query(Long.class)
                  .single()
              > 0) {
            throw new ConflictException(
                "an external host named '" + name + "' already exists", "name");
          }
          IpPrefix cidr = IpPrefix.parse(logicalNetworkCidr(networkId));
          if (!cidr.hosts().contains(pa)) {
            throw new InvalidRequestException(
                pa + " is not a host address of the logical network's " + cidr, "providerAddress");
          }
          ExternalHostId id = ExternalHostId.random();
          ExternalMachines.reserve(
              () -> pools.allocate(pool, pa, "external-host:" + id), "providerAddress", pa);
          jdbc.sql(
                  "INSERT INTO fabric_external_host (id, name, logical_network_id, pa, created_at)"
                      + " VALUES (:id, :name, :ln, :pa, :at)")
              .param("id", id.value())
              .param("name", name)
              .param("ln", networkId.value())
              .param("pa", pa.toString())
              .param("at", Timestamp.from(clock.instant()))
              .update();
          for (int i = 0; i < wanted.size(); i++) {
            machines.admit(id, pa.toString(), wanted.get(i), "machines[" + i + "].");
          }
          return find(id);
        });
  }

  @Override
  public List<ExternalHost> list(Caller caller) {
    authorizer.requireOperator(caller, "list external hosts");
    return operations.read(() -> {
      Map<UUID, List<ExternalMachine>> machines =
          machinesWhere("", Map.of()).stream()
              .collect(
                  Collectors.groupingBy(
                      Row::host, Collectors.mapping(Row::machine, Collectors.toList())));
      return jdbc.sql(SELECT_HOST + " ORDER BY e.name")
          .query(
              (rs, n) -> host(rs, machines.getOrDefault(rs.getObject("id", UUID.class), List.of())))
          .list();
    });
  }

  @Override
  public ExternalHost get(Caller caller, ExternalHostId id) {
    authorizer.requireOperator(caller, "read external hosts");
    return operations.read(() -> find(id));
  }

  @Override
  public ExternalMachine addMachine(Caller caller, ExternalHostId id, NewExternalMachine machine) {
    authorizer.requireOperator(caller, "admit machines behind external hosts");
    if (machine == null) {
      throw new InvalidRequestException("a body with subnetId, address and mac is required");
    }
    return operations.change(
        caller,
        null,
        "external-host.machine.add",
        m -> id + " " + m.id() + " " + m.address() + " " + m.mac(),
        () -> {
          ExternalHost host = lock(id);
          return machines.admit(id, host.providerAddress(), machine, "");
        });
  }

  @Override
  public void removeMachine(Caller caller, ExternalHostId id, ExternalMachineId machine) {
    authorizer.requireOperator(caller, "withdraw machines behind external hosts");
    operations.change(
        caller,
        null,
        "external-host.machine.remove",
        id + " " + machine,
        () -> {
          ExternalHost host = lock(id);
          ExternalMachine m =
              host.machines().stream()
                  .filter(x -> x.id().equals(machine))
                  .findFirst()
                  .orElseThrow(() -> new NotFoundException("no such machine", "machineId"));
          machines.withdraw(m);
        });
  }

  @Override
  public void delete(Caller caller, ExternalHostId id) {
    authorizer.requireOperator(caller, "remove external hosts");
    operations.change(
        caller,
        null,
        "external-host.delete",
        id.toString(),
        () -> {
          ExternalHost host = lock(id);
          host.machines().forEach(machines::withdraw);
          jdbc.sql("DELETE FROM fabric_external_host WHERE id = :id")
              .param("id", id.value())
              .update();
          pools.release(
              logicalNetworkPool(host.logicalNetworkId()),
              IpAddressValue.parse(host.providerAddress()));
        });
  }

  private PoolId logicalNetworkPool(LogicalNetworkId id) {
    return jdbc.sql("SELECT pool_id FROM fabric_logical_network WHERE id = :id")
        .param("id", id.value())
        .query(UUID.class)
        .optional()
        .map(PoolId::new)
        .orElseThrow(() -> new NotFoundException("no such logical network", "logicalNetworkId"));
  }

  private String logicalNetworkCidr(LogicalNetworkId id) {
    return jdbc.sql("SELECT pa_cidr FROM fabric_logical_network WHERE id = :id")
        .param("id", id.value())
        .query(String.class)
        .single();
  }

  /** The endpoint, locked for this transaction so machine changes on it serialize. */
  private ExternalHost lock(ExternalHostId id) {
    jdbc.sql("SELECT id FROM fabric_external_host WHERE id = :id FOR UPDATE")
        .param("id", id.value())
        .query(UUID.class)
        .optional()
        .orElseThrow(() -> new NotFoundException("no such external host", "externalHostId"));
    return find(id);
  }

  private static final String SELECT_HOST =
      "SELECT e.id, e.name, e.logical_network_id, e.pa, e.created_at, l.encapsulation"
          + " FROM fabric_external_host e"
          + " JOIN fabric_logical_network l ON l.id = e.logical_network_id";

  private static final String SELECT_MACHINE =
      "SELECT m.id, m.external_host_id, m.tenant_id, s.vm_network_id, m.subnet_id, s.vsid,"
          + " m.address, m.mac FROM fabric_external_machine m"
          + " JOIN fabric_subnet s ON s.id = m.subnet_id";

  private ExternalHost find(ExternalHostId id) {
    List<ExternalMachine> machines =
        machinesWhere(" WHERE m.external_host_id = :id", Map.of("id", id.value())).stream()
            .map(Row::machine)
            .toList();
    return jdbc.sql(SELECT_HOST + " WHERE e.id = :id")
        .param("id", id.value())
        .query((rs, n) -> host(rs, machines))
        .optional()
        .orElseThrow(() -> new NotFoundException("no such external host", "externalHostId"));
  }

  /** A machine row with the endpoint it sits behind. */
  private record Row(UUID host, ExternalMachine machine) {}

  private List<Row> machinesWhere(String where, Map<String, Object> params) {
    List<Row> out = new ArrayList<>();
    jdbc.sql(SELECT_MACHINE + where + " ORDER BY m.address")
        .params(params)
        .query((ResultSet rs) -> {
          out.add(new Row(rs.getObject("external_host_id", UUID.class), machine(rs)));
        });
    return out;
  }

  private static ExternalMachine machine(ResultSet rs) throws SQLException {
    return new ExternalMachine(
        new ExternalMachineId(rs.getObject("id", UUID.class)),
        new TenantId(rs.getObject("tenant_id", UUID.class)),
        new VmNetworkId(rs.getObject("vm_network_id", UUID.class)),
        new SubnetId(rs.getObject("subnet_id", UUID.class)),
        rs.getInt("vsid"),
        rs.getString("address"),
        rs.getString("mac"));
  }

  private static ExternalHost host(ResultSet rs, List<ExternalMachine> machines)
      throws SQLException {
    return new ExternalHost(
        new ExternalHostId(rs.getObject("id", UUID.class)),
        rs.getString("name"),
        new LogicalNetworkId(rs.getObject("logical_network_id", UUID.class)),
        rs.getString("pa"),
        Encapsulation.valueOf(rs.getString("encapsulation")),
        machines,
        rs.getTimestamp("created_at").toInstant());
  }
}
