package io.weft.fabric.internal;

import io.weft.fabric.AddressRange;
import io.weft.fabric.ConflictException;
import io.weft.fabric.FabricEvent;
import io.weft.fabric.InvalidRequestException;
import io.weft.fabric.NewSubnet;
import io.weft.fabric.NotFoundException;
import io.weft.fabric.Subnet;
import io.weft.fabric.SubnetId;
import io.weft.fabric.TenantId;
import io.weft.fabric.VmNetworkId;
import io.weft.ipam.AddressPoolService;
import io.weft.ipam.IpAddressValue;
import io.weft.ipam.IpFamily;
import io.weft.ipam.IpPrefix;
import io.weft.ipam.IpRange;
import io.weft.ipam.PoolId;
import io.weft.ipam.RangeId;
import io.weft.ipam.Vsid;
import io.weft.ipam.VsidPoolService;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The rules of subnets, run inside the caller's transaction after authorization: subnets of one VM
 * network never overlap; the gateway is the first host address; the static range lies in the
 * subnet, clear of the gateway. Their DHCP ranges: {@link DhcpRanges}.
 */
@Component
class SubnetOperations {

  static final int DEFAULT_LEASE_SECONDS = 86_400;

  private final JdbcClient jdbc;
  private final AddressPoolService pools;
  private final VsidPoolService vsids;
  private final ApplicationEventPublisher events;
  private final Clock clock;

  SubnetOperations(
      JdbcClient jdbc,
      AddressPoolService pools,
      VsidPoolService vsids,
      ApplicationEventPublisher events,
      Clock clock) {
    this.jdbc = jdbc;
    this.pools = pools;
    this.vsids = vsids;
    this.events = events;
    this.clock = clock;
  }

  Subnet create(TenantId tenantId, VmNetworkId networkId, NewSubnet request) {
    if (request == null) {
      throw new InvalidRequestException("a body with name and cidr is required");
    }
    String name = Names.require(request.name(), "name");
    IpPrefix prefix = requirePrefix(request.cidr());
    List<SubnetRecord> siblings = inNetwork(networkId);
    for (SubnetRecord other : siblings) {
      if (other.name().equals(name)) {
        throw new ConflictException(
            "a subnet named '" + name + "' already exists in this VM network", "name");
      }
      if (other.prefix().overlaps(prefix)) {
        throw new ConflictException(
            prefix
                + " overlaps subnet '"
                + other.name()
                + "' ("
                + other.prefix()
                + ") of this VM network",
            "cidr");
      }
    }
    SubnetId id = SubnetId.random();
    Vsid vsid = vsids.allocateVsid("subnet:" + id);
    PoolId pool = pools.createPool("subnet:" + id, prefix);
    IpAddressValue gateway = prefix.firstHost();
    pools.allocate(pool, gateway, "gateway");
    List<String> reserved = reserve(pool, prefix, gateway, request.reserved());
    RangeId staticRange = null;
    if (request.staticRange() != null) {
      IpRange range =
          requireRange(
              request.staticRange().start(), request.staticRange().end(), prefix, "staticRange");
      requireClearOfGateway(range, gateway, "staticRange");
      staticRange = pools.addRange(pool, range, "static");
    }
    insert(
        id,
        tenantId,
        networkId,
        name,
        prefix,
        vsid,
        gateway,
        pool,
        request.staticRange(),
        staticRange,
        reserved);
    events.publishEvent(new FabricEvent.SubnetCreated(tenantId, networkId, id));
    return view(require(tenantId, id));
  }

  Subnet rename(SubnetRecord subnet, String name) {
    for (SubnetRecord other : inNetwork(subnet.vmNetworkId())) {
      if (other.name().equals(name) && !other.id().equals(subnet.id())) {
        throw new ConflictException(
            "a subnet named '" + name + "' already exists in this VM network", "name");
      }
    }
    jdbc.sql("UPDATE fabric_subnet SET name = :name WHERE id = :id")
        .param("name", name)
        .param("id", subnet.id().value())
        .update();
    return view(require(subnet.tenantId(), subnet.id()));
  }

  void delete(SubnetRecord subnet) {
    long vnics =
        jdbc.sql("SELECT count(*) FROM fabric_vnic WHERE subnet_id = :id")
            .param("id", subnet.id().value())
            .query(Long.class)
            .single();
    if (vnics > 0) {
      throw new ConflictException(
          "the subnet is used by " + vnics + " vNIC(s); delete or move those VMs first",
          "subnetId");
    }
    long external =
        jdbc.sql("SELECT count(*) FROM fabric_external_machine WHERE subnet_id = :id")
            .param("id", subnet.id().value())
            .query(Long.class)
            .single();
    if (external > 0) {
      throw new ConflictException(
          "the subnet has "
              + external
              + " machine(s) behind external hosts; an operator withdraws them first",
          "subnetId");
    }
    jdbc.sql("DELETE FROM fabric_dhcp_range WHERE subnet_id = :id")
        .param("id", subnet.id().value())
        .update();
    jdbc.sql("DELETE FROM fabric_subnet WHERE id = :id").param("id", subnet.id().value()).update();
    pools.deletePool(subnet.poolId());
    vsids.releaseVsid(new Vsid(subnet.vsid()));
    events.publishEvent(
        new FabricEvent.SubnetDeleted(
            subnet.tenantId(), subnet.vmNetworkId(), subnet.id(), subnet.vsid()));
  }

  SubnetRecord require(TenantId tenantId, SubnetId id) {
    return jdbc.sql("SELECT * FROM fabric_subnet WHERE id = :id AND tenant_id = :tenant")
        .param("id", id.value())
        .param("tenant", tenantId.value())
        .query(SubnetRecord::map)
        .optional()
        .orElseThrow(() -> new NotFoundException("no such subnet", "subnetId"));
  }

  List<SubnetRecord> inNetwork(VmNetworkId networkId) {
    return jdbc.sql("SELECT * FROM fabric_subnet WHERE vm_network_id = :id ORDER BY name")
        .param("id", networkId.value())
        .query(SubnetRecord::map)
        .list();
  }

  Subnet view(SubnetRecord s) {
    return new Subnet(
        s.id(),
        s.tenantId(),
        s.vmNetworkId(),
        s.name(),
        s.prefix().toString(),
        s.prefix().family() == IpFamily.V4 ? "IPv4" : "IPv6",
        s.vsid(),
        s.gateway(),
        JdbcNetworkService.range(s.staticStart(), s.staticEnd()),
        s.reserved(),
        JdbcNetworkService.utilisation(pools.usage(s.poolId())),
        s.createdAt());
  }

  private void insert(
      SubnetId id,
      TenantId tenantId,
      VmNetworkId networkId,
      String name,
      IpPrefix prefix,
      Vsid vsid,
      IpAddressValue gateway,
      PoolId pool,
      AddressRange staticRequest,
      RangeId staticRange,
      List<String> reserved) {
    jdbc.sql(
            "INSERT INTO fabric_subnet (id, tenant_id, vm_network_id, name, cidr, vsid, gateway, pool_id,"
                + " static_start, static_end, static_range_id, reserved, created_at) VALUES (:id, :tenant,"
                + " :network, :name, :cidr, :vsid, :gateway, :pool, :ss, :se, :sr, :reserved, :at)")
        .param("id", id.value())
        .param("tenant", tenantId.value())
        .param("network", networkId.value())
        .param("name", name)
        .param("cidr", prefix.toString())
        .param("vsid", vsid.value())
        .param("gateway", gateway.toString())
        .param("pool", pool.value())
        .param(
            "ss",
            staticRange == null ? null : IpAddressValue.parse(staticRequest.start()).toString())
        .param(
            "se", staticRange == null ? null : IpAddressValue.parse(staticRequest.end()).toString())
        .param("sr", staticRange == null ? null : staticRange.value())
        .param("reserved", String.join(",", reserved))
        .param("at", Timestamp.from(clock.instant()))
        .update();
  }

  private List<String> reserve(
      PoolId pool, IpPrefix prefix, IpAddressValue gateway, List<String> requested) {
    List<String> reserved = new ArrayList<>();
    if (requested == null) {
      return reserved;
    }
    for (String text : requested) {
      IpAddressValue address = IpAddressValue.parse(text, "reserved");
      if (!prefix.hosts().contains(address)) {
        throw new InvalidRequestException(
            "reserved address " + address + " is not a host address of " + prefix, "reserved");
      }
      if (address.equals(gateway)) {
        throw new InvalidRequestException(
            "the gateway " + gateway + " is reserved already", "reserved");
      }
      pools.allocate(pool, address, "reserved");
      reserved.add(address.toString());
    }
    return reserved;
  }

  private static IpPrefix requirePrefix(String cidr) {
    if (cidr == null || cidr.isBlank()) {
      throw new InvalidRequestException("cidr is required, e.g. 10.0.0.0/24", "cidr");
    }
    IpPrefix prefix = IpPrefix.parse(cidr.strip(), "cidr");
    int maxLength = prefix.family() == IpFamily.V4 ? 30 : 126;
    if (prefix.length() > maxLength) {
      throw new InvalidRequestException(
          prefix
              + " is too small: a subnet needs a gateway and room for VMs (at most /"
              + maxLength
              + ")",
          "cidr");
    }
    if (prefix.family() == IpFamily.V4 && prefix.length() < 8
        || prefix.family() == IpFamily.V6 && prefix.length() < 48) {
      throw new InvalidRequestException(
          prefix + " is too large for a VM subnet (at least /8 for IPv4, /48 for IPv6)", "cidr");
    }
    return prefix;
  }

  /** The range {@code start}-{@code end}, required, in the subnet {@code prefix}. */
  static IpRange requireRange(String start, String end, IpPrefix prefix, String field) {
    if (start == null || start.isBlank() || end == null || end.isBlank()) {
      throw new InvalidRequestException("start and end addresses are required", field);
    }
    IpRange range = IpRange.of(start.strip(), end.strip());
    if (range.family() != prefix.family()) {
      throw new InvalidRequestException("the range is not of the subnet's address family", field);
    }
    if (!prefix.hosts().contains(range)) {
      throw new InvalidRequestException(
          "the range " + range + " lies outside the subnet's host addresses " + prefix.hosts(),
          field);
    }
    return range;
  }

  static void requireClearOfGateway(IpRange range, IpAddressValue gateway, String field) {
    if (range.contains(gateway)) {
      throw new ConflictException(
          "the range " + range + " includes the default gateway " + gateway, field);
    }
  }
}
