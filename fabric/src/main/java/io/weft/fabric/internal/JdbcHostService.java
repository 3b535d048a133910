package io.weft.fabric.internal;

import io.weft.fabric.Caller;
import io.weft.fabric.ConflictException;
import io.weft.fabric.Encapsulation;
import io.weft.fabric.FabricEvent;
import io.weft.fabric.Host;
import io.weft.fabric.HostId;
import io.weft.fabric.HostService;
import io.weft.fabric.HostState;
import io.weft.fabric.InvalidRequestException;
import io.weft.fabric.LogicalNetwork;
import io.weft.fabric.LogicalNetworkId;
import io.weft.fabric.NewHost;
import io.weft.fabric.NewLogicalNetwork;
import io.weft.fabric.NotFoundException;
import io.weft.fabric.RegisteredHost;
import io.weft.fabric.Utilisation;
import io.weft.ipam.AddressInUseException;
import io.weft.ipam.AddressPoolService;
import io.weft.ipam.IpAddressValue;
import io.weft.ipam.IpPrefix;
import io.weft.ipam.IpamValidationException;
import io.weft.ipam.PoolId;
import io.weft.ipam.RangeId;
import io.weft.ipam.VsidPoolService;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

@Service
class JdbcHostService implements HostService {

  static final String AGENT_TOKEN_PREFIX = "weft-agent-";

  private final JdbcClient jdbc;
  private final FabricOperations operations;
  private final Authorizer authorizer;
  private final AddressPoolService pools;
  private final VsidPoolService vsids;
  private final VmPlacements placements;
  private final AgentTokens agentTokens;
  private final ApplicationEventPublisher events;
  private final Clock clock;

  JdbcHostService(
      JdbcClient jdbc,
      FabricOperations operations,
      Authorizer authorizer,
      AddressPoolService pools,
      VsidPoolService vsids,
      VmPlacements placements,
      AgentTokens agentTokens,
      ApplicationEventPublisher events,
      Clock clock) {
    this.jdbc = jdbc;
    this.operations = operations;
    this.authorizer = authorizer;
    this.pools = pools;
    this.vsids = vsids;
    this.placements = placements;
    this.agentTokens = agentTokens;
    this.events = events;
    this.clock = clock;
  }

  @Override
  public LogicalNetwork createLogicalNetwork(Caller caller, NewLogicalNetwork request) {
    authorizer.requireOperator(caller, "create logical networks");
    if (request == null) {
      throw new InvalidRequestException("a body with name and paCidr is required");
    }
    String name = Names.require(request.name(), "name");
    if (request.paCidr() == null || request.paCidr().isBlank()) {
      throw new InvalidRequestException("paCidr is required, e.g. 192.168.0.0/16", "paCidr");
    }
    IpPrefix prefix = IpPrefix.parse(request.paCidr().strip(), "paCidr");
    Encapsulation encapsulation = encapsulation(request.encapsulation());
    int mtu = request.mtu() == null ? 1500 : request.mtu();
    if (mtu < 1280 || mtu > 9216) {
      throw new InvalidRequestException("mtu must be between 1280 and 9216", "mtu");
    }
    return operations.change(
        caller,
        null,
        "logical-network.create",
        n -> n.id() + " " + name,
        () -> {
          if (findLogicalNetworkByName(name).isPresent()) {
            throw new ConflictException(
                "a logical network named '" + name + "' already exists", "name");
          }
          LogicalNetworkId id = LogicalNetworkId.random();
          PoolId pool = pools.createPool("logical-network:" + id, prefix);
          RangeId range = pools.addRange(pool, prefix.hosts(), "provider addresses");
          jdbc.sql(
                  "INSERT INTO fabric_logical_network (id, name, pa_cidr, encapsulation, mtu, pool_id,"
                      + " pa_range_id, created_at) VALUES (:id, :name, :cidr, :encap, :mtu, :pool, :range, :at)")
              .param("id", id.value())
              .param("name", name)
              .param("cidr", prefix.toString())
              .param("encap", encapsulation.name())
              .param("mtu", mtu)
              .param("pool", pool.value())
              .param("range", range.value())
              .param("at", Timestamp.from(clock.instant()))
              .update();
          return logicalNetwork(id);
        });
  }

  @Override
  public Utilisation vsidUsage(Caller caller) {
    authorizer.requireOperator(caller, "read the VSID usage");
    return operations.read(() -> JdbcNetworkService.utilisation(vsids.usage()));
  }

  @Override
  public List<LogicalNetwork> listLogicalNetworks(Caller caller) {
    authorizer.requireOperator(caller, "list logical networks");
    return operations.read(
        () -> jdbc.sql(SELECT_LN + " ORDER BY l.name").query(JdbcHostService::ln).list());
  }

  @Override
  public LogicalNetwork getLogicalNetwork(Caller caller, LogicalNetworkId id) {
    authorizer.requireOperator(caller, "read logical networks");
    return operations.read(() -> logicalNetwork(id));
  }

  @Override
  public void deleteLogicalNetwork(Caller caller, LogicalNetworkId id) {
    authorizer.requireOperator(caller, "delete logical networks");
    operations.change(
        caller,
        null,
        "logical-network.delete",
        id.toString(),
        () -> {
          LogicalNetwork network = logicalNetwork(id);
          if (network.hostCount() > 0) {
            throw new ConflictException(
                "the logical network still has " + network.hostCount() + " host(s)",
                "logicalNetworkId");
          }
          long external =
              jdbc.sql("SELECT count(*) FROM fabric_external_host WHERE logical_network_id = :id")
                  .param("id", id.value())
                  .query(Long.class)
                  .single();
          if (external > 0) {
            throw new ConflictException(
                "the logical network still has " + external + " external host(s)",
                "logicalNetworkId");
          }
          PoolId pool = poolOf(id);
          jdbc.sql("DELETE FROM fabric_logical_network WHERE id = :id")
              .param("id", id.value())
              .update();
          pools.deletePool(pool);
        });
  }

  @Override
  public RegisteredHost registerHost(Caller caller, NewHost request) {
    authorizer.requireOperator(caller, "register hosts");
    if (request == null) {
      throw new InvalidRequestException("a body with name and logicalNetworkId is required");
    }
    String name = Names.require(request.name(), "name");
    if (request.logicalNetworkId() == null) {
      throw new InvalidRequestException("logicalNetworkId is required", "logicalNetworkId");
    }
    LogicalNetworkId networkId = LogicalNetworkId.parse(request.logicalNetworkId());
    int slots = request.vmSlots() == null ? 32 : request.vmSlots();
    if (slots < 1 || slots > 4096) {
      throw new InvalidRequestException("vmSlots must be between 1 and 4096", "vmSlots");
    }
    String token = SecretTokens.generate(AGENT_TOKEN_PREFIX);
    Host host =
        operations.change(
            caller,
            null,
            "host.register",
            h -> h.id() + " " + name + " " + h.providerAddress(),
            () -> {
              logicalNetwork(networkId);
              if (jdbc.sql("SELECT count(*) FROM fabric_host WHERE name = :n")
                      .param("n", name)
                      .query(Long.class)
                      .single()
                  > 0) {
                throw new ConflictException("a host named '" + name + "' already exists", "name");
              }
              HostId id = HostId.random();
              PoolId pool = poolOf(networkId);
              IpAddressValue pa =
                  request.providerAddress() == null || request.providerAddress().isBlank()
                      ? pools.allocateNext(pool, paRangeOf(networkId), "host:" + id)
                      : givenAddress(pool, request.providerAddress(), "host:" + id);
              jdbc.sql(
                      "INSERT INTO fabric_host (id, name, logical_network_id, pa, vm_slots, state, token_hash,"
                          + " created_at) VALUES (:id, :name, :ln, :pa, :slots, 'REGISTERING', :token, :at)")
                  .param("id", id.value())
                  .param("name", name)
                  .param("ln", networkId.value())
                  .param("pa", pa.toString())
                  .param("slots", slots)
                  .param("token", SecretTokens.digest(token))
                  .param("at", Timestamp.from(clock.instant()))
                  .update();
              events.publishEvent(new FabricEvent.HostRegistered(id));
              return host(id);
            });
    return new RegisteredHost(host, token);
  }

  @Override
  public List<Host> listHosts(Caller caller) {
    authorizer.requireOperator(caller, "list hosts");
    return operations.read(
        () -> jdbc.sql(HostRecord.SELECT + " ORDER BY h.name").query(HostRecord::map).list());
  }

  @Override
  public Host getHost(Caller caller, HostId id) {
    authorizer.requireOperator(caller, "read hosts");
    return operations.read(() -> host(id));
  }

  @Override
  public Host setHostState(Caller caller, HostId id, HostState state) {
    authorizer.requireOperator(caller, "change host state");
    if (state == null) {
      throw new InvalidRequestException("state must be one of READY, DRAINING, DOWN", "state");
    }
    return operations.change(
        caller,
        null,
        "host.state",
        h -> id + " " + state,
        () -> {
          host(id);
          jdbc.sql("UPDATE fabric_host SET state = :state WHERE id = :id")
              .param("state", state.name())
              .param("id", id.value())
              .update();
          events.publishEvent(new FabricEvent.HostStateChanged(id, state));
          if (state == HostState.DRAINING) {
            placements.drain(id);
          } else if (state == HostState.READY) {
            placements.placePending();
          }
          return host(id);
        });
  }

  @Override
  public void deleteHost(Caller caller, HostId id) {
    authorizer.requireOperator(caller, "delete hosts");
    operations.change(
        caller,
        null,
        "host.delete",
        id.toString(),
        () -> {
          Host host = host(id);
          if (host.vmCount() > 0) {
            throw new ConflictException(
                "the host still runs " + host.vmCount() + " VM(s); drain it first", "hostId");
          }
          jdbc.sql("DELETE FROM fabric_host WHERE id = :id").param("id", id.value()).update();
          agentTokens.revokeOnCommit(id);
          pools.release(
              poolOf(host.logicalNetworkId()), IpAddressValue.parse(host.providerAddress()));
          events.publishEvent(new FabricEvent.HostRemoved(id));
        });
  }

  @Override
  public RegisteredHost rotateAgentToken(Caller caller, HostId id) {
    authorizer.requireOperator(caller, "rotate agent tokens");
    String token = SecretTokens.generate(AGENT_TOKEN_PREFIX);
    Host host =
        operations.change(
            caller,
            null,
            "host.rotate-token",
            h -> id.toString(),
            () -> {
              host(id);
              jdbc.sql("UPDATE fabric_host SET token_hash = :hash WHERE id = :id")
                  .param("hash", SecretTokens.digest(token))
                  .param("id", id.value())
                  .update();
              agentTokens.revokeOnCommit(id);
              return host(id);
            });
    return new RegisteredHost(host, token);
  }

  @Override
  public Optional<HostId> authenticateAgent(String token) {
    return agentTokens.authenticate(token);
  }

  /**
   * The PA the operator chose, reserved for the host. IPAM names its own parameter ("address"); the
   * operator's field is providerAddress.
   */
  private IpAddressValue givenAddress(PoolId pool, String text, String owner) {
    IpAddressValue pa = IpAddressValue.parse(text.strip(), "providerAddress");
    try {
      return pools.allocate(pool, pa, owner);
    } catch (AddressInUseException e) {
      throw new ConflictException(pa + " is already in use", "providerAddress");
    } catch (IpamValidationException e) {
      throw new InvalidRequestException(e.getMessage(), "providerAddress");
    }
  }

  private static final String SELECT_LN =
      "SELECT l.*, (SELECT count(*) FROM fabric_host h WHERE h.logical_network_id = l.id) AS hosts"
          + " FROM fabric_logical_network l";

  private LogicalNetwork logicalNetwork(LogicalNetworkId id) {
    return jdbc.sql(SELECT_LN + " WHERE l.id = :id")
        .param("id", id.value())
        .query(JdbcHostService::ln)
        .optional()
        .orElseThrow(() -> new NotFoundException("no such logical network", "logicalNetworkId"));
  }

  private Optional<UUID> findLogicalNetworkByName(String name) {
    return jdbc.sql("SELECT id FROM fabric_logical_network WHERE name = :name")
        .param("name", name)
        .query(UUID.class)
        .optional();
  }

  private PoolId poolOf(LogicalNetworkId id) {
    return new PoolId(
        jdbc.sql("SELECT pool_id FROM fabric_logical_network WHERE id = :id")
            .param("id", id.value())
            .query(UUID.class)
            .single());
  }

  private RangeId paRangeOf(LogicalNetworkId id) {
    return new RangeId(
        jdbc.sql("SELECT pa_range_id FROM fabric_logical_network WHERE id = :id")
            .param("id", id.value())
            .query(UUID.class)
            .single());
  }

  private Host host(HostId id) {
    return jdbc.sql(HostRecord.SELECT + " WHERE h.id = :id")
        .param("id", id.value())
        .query(HostRecord::map)
        .optional()
        .orElseThrow(() -> new NotFoundException("no such host", "hostId"));
  }

  private static LogicalNetwork ln(java.sql.ResultSet rs, int row) throws java.sql.SQLException {
    return new LogicalNetwork(
        new LogicalNetworkId(rs.getObject("id", UUID.class)),
        rs.getString("name"),
        rs.getString("pa_cidr"),
        Encapsulation.valueOf(rs.getString("encapsulation")),
        rs.getInt("mtu"),
        rs.getInt("hosts"));
  }

  private static Encapsulation encapsulation(String text) {
    if (text == null || text.isBlank()) {
      return Encapsulation.NVGRE;
    }
    try {
      return Encapsulation.valueOf(text.strip().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new InvalidRequestException("encapsulation must be NVGRE or VXLAN", "encapsulation");
    }
  }
}
