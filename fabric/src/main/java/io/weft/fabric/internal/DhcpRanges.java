package io.weft.fabric.internal;

import io.weft.fabric.ConflictException;
import io.weft.fabric.DhcpRange;
import io.weft.fabric.DhcpRangeId;
import io.weft.fabric.FabricEvent;
import io.weft.fabric.InvalidRequestException;
import io.weft.fabric.NewDhcpRange;
import io.weft.fabric.NotFoundException;
import io.weft.fabric.SubnetId;
import io.weft.fabric.TenantId;
import io.weft.fabric.Utilisation;
import io.weft.ipam.AddressPoolService;
import io.weft.ipam.IpAddressValue;
import io.weft.ipam.IpRange;
import io.weft.ipam.RangeId;
import io.weft.ipam.RangeUsage;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.List;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The rules of a subnet's DHCP ranges, run inside the caller's transaction after authorization:
 * ranges lie in the subnet and never overlap each other (IPAM's ranges), the gateway or reserved
 * addresses; one with leases is not deleted. Each change is published for the table compiler.
 */
@Component
class DhcpRanges {

  private final JdbcClient jdbc;
  private final AddressPoolService pools;
  private final SubnetOperations subnets;
  private final ApplicationEventPublisher events;
  private final Clock clock;

  DhcpRanges(
      JdbcClient jdbc,
      AddressPoolService pools,
      SubnetOperations subnets,
      ApplicationEventPublisher events,
      Clock clock) {
    this.jdbc = jdbc;
    this.pools = pools;
    this.subnets = subnets;
    this.events = events;
    this.clock = clock;
  }

  /** Adds a DHCP range to the subnet: in it, clear of the gateway and the reserved addresses. */
  DhcpRange add(SubnetRecord subnet, NewDhcpRange request) {
    if (request == null) {
      throw new InvalidRequestException("a body with start and end is required");
    }
    IpRange range =
        SubnetOperations.requireRange(request.start(), request.end(), subnet.prefix(), "start");
    IpAddressValue gateway = IpAddressValue.parse(subnet.gateway());
    SubnetOperations.requireClearOfGateway(range, gateway, "start");
    for (String reserved : subnet.reserved()) {
      if (range.contains(IpAddressValue.parse(reserved))) {
        throw new ConflictException("the range includes the reserved address " + reserved, "start");
      }
    }
    int lease =
        request.leaseSeconds() == null
            ? SubnetOperations.DEFAULT_LEASE_SECONDS
            : request.leaseSeconds();
    if (lease < 60 || lease > 31_536_000) {
      throw new InvalidRequestException(
          "leaseSeconds must be between 60 and 31536000 (a year)", "leaseSeconds");
    }
    List<String> dns = dnsServers(request.dnsServers(), subnet);
    RangeId rangeId = pools.addRange(subnet.poolId(), range, "dhcp");
    DhcpRangeId id = DhcpRangeId.random();
    jdbc.sql(
            "INSERT INTO fabric_dhcp_range (id, tenant_id, subnet_id, start_address, end_address, range_id,"
                + " lease_seconds, dns_servers, created_at) VALUES (:id, :tenant, :subnet, :start, :end,"
                + " :range, :lease, :dns, :at)")
        .param("id", id.value())
        .param("tenant", subnet.tenantId().value())
        .param("subnet", subnet.id().value())
        .param("start", range.start().toString())
        .param("end", range.end().toString())
        .param("range", rangeId.value())
        .param("lease", lease)
        .param("dns", String.join(",", dns))
        .param("at", Timestamp.from(clock.instant()))
        .update();
    events.publishEvent(
        new FabricEvent.DhcpRangesChanged(subnet.tenantId(), subnet.vmNetworkId(), subnet.id()));
    return get(subnet.tenantId(), id);
  }

  /** Deletes the range unless addresses from it are leased. */
  void delete(TenantId tenantId, DhcpRangeId id) {
    DhcpRangeRecord range = dhcpRangeRecord(tenantId, id);
    long leased = pools.usage(range.rangeId()).allocated().longValueExact();
    if (leased > 0) {
      throw new ConflictException(
          leased + " address(es) from this range are leased to vNICs; delete those VMs first",
          "dhcpRangeId");
    }
    jdbc.sql("DELETE FROM fabric_dhcp_range WHERE id = :id").param("id", id.value()).update();
    pools.removeRange(range.rangeId());
    SubnetRecord subnet = subnets.require(tenantId, range.subnetId());
    events.publishEvent(
        new FabricEvent.DhcpRangesChanged(tenantId, subnet.vmNetworkId(), subnet.id()));
  }

  List<DhcpRange> list(SubnetRecord subnet) {
    return jdbc
        .sql("SELECT * FROM fabric_dhcp_range WHERE subnet_id = :id ORDER BY created_at")
        .param("id", subnet.id().value())
        .query(DhcpRangeRecord::map)
        .list()
        .stream()
        .map(this::view)
        .toList();
  }

  DhcpRange get(TenantId tenantId, DhcpRangeId id) {
    return view(dhcpRangeRecord(tenantId, id));
  }

  /** The DHCP ranges of a subnet, oldest first. */
  List<DhcpRangeRecord> inSubnet(SubnetId subnet) {
    return jdbc.sql("SELECT * FROM fabric_dhcp_range WHERE subnet_id = :id ORDER BY created_at")
        .param("id", subnet.value())
        .query(DhcpRangeRecord::map)
        .list();
  }

  private DhcpRange view(DhcpRangeRecord r) {
    return new DhcpRange(
        r.id(),
        r.subnetId(),
        r.start(),
        r.end(),
        r.leaseSeconds(),
        r.dnsServers(),
        utilisation(pools.usage(r.rangeId())));
  }

  private static Utilisation utilisation(RangeUsage usage) {
    return new Utilisation(usage.size().toString(), usage.allocated().toString(), usage.percent());
  }

  private DhcpRangeRecord dhcpRangeRecord(TenantId tenantId, DhcpRangeId id) {
    return jdbc.sql("SELECT * FROM fabric_dhcp_range WHERE id = :id AND tenant_id = :tenant")
        .param("id", id.value())
        .param("tenant", tenantId.value())
        .query(DhcpRangeRecord::map)
        .optional()
        .orElseThrow(() -> new NotFoundException("no such DHCP range", "dhcpRangeId"));
  }

  private static List<String> dnsServers(List<String> requested, SubnetRecord subnet) {
    if (requested == null || requested.isEmpty()) {
      return List.of(subnet.gateway());
    }
    if (requested.size() > 4) {
      throw new InvalidRequestException("at most 4 DNS servers", "dnsServers");
    }
    return requested.stream()
        .map(text -> IpAddressValue.parse(text, "dnsServers").toString())
        .toList();
  }
}
