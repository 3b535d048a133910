package io.weft.fabric.internal;

import io.weft.fabric.Addressing;
import io.weft.fabric.ConflictException;
import io.weft.fabric.FabricEvent;
import io.weft.fabric.InvalidRequestException;
import io.weft.fabric.NewVnic;
import io.weft.fabric.NotFoundException;
import io.weft.fabric.SubnetId;
import io.weft.fabric.TenantId;
import io.weft.fabric.VmId;
import io.weft.fabric.Vnic;
import io.weft.fabric.VnicId;
import io.weft.ipam.AddressInUseException;
import io.weft.ipam.AddressPoolService;
import io.weft.ipam.IpAddressValue;
import io.weft.ipam.MacAddress;
import io.weft.ipam.MacPoolService;
import io.weft.ipam.PoolExhaustedException;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * MACs and customer addresses of vNICs: STATIC given (anywhere in the subnet but outside its DHCP
 * ranges), STATIC numbered from the static range, or DHCP leased later from the DHCP ranges.
 */
@Component
class VnicAddressing {

  private final JdbcClient jdbc;
  private final SubnetOperations subnets;
  private final DhcpRanges dhcpRanges;
  private final AddressPoolService pools;
  private final MacPoolService macs;
  private final ApplicationEventPublisher events;
  private final Clock clock;

  VnicAddressing(
      JdbcClient jdbc,
      SubnetOperations subnets,
      DhcpRanges dhcpRanges,
      AddressPoolService pools,
      MacPoolService macs,
      ApplicationEventPublisher events,
      Clock clock) {
    this.jdbc = jdbc;
    this.subnets = subnets;
    this.dhcpRanges = dhcpRanges;
    this.pools = pools;
    this.macs = macs;
    this.events = events;
    this.clock = clock;
  }

  /** A vNIC row. */
  record VnicRecord(
      VnicId id,
      TenantId tenantId,
      VmId vmId,
      SubnetId subnetId,
      Addressing addressing,
      String address) {}

  void createVnic(TenantId tenant, VmId vm, int position, NewVnic request) {
    String field = "nics[" + position + "]";
    if (request == null || request.subnetId() == null || request.subnetId().isBlank()) {
      throw new InvalidRequestException(field + ".subnetId is required", field + ".subnetId");
    }
    SubnetRecord subnet = subnets.require(tenant, SubnetId.parse(request.subnetId()));
    Addressing mode = mode(request, field);
    VnicId id = VnicId.random();
    String address = null;
    if (mode == Addressing.STATIC) {
      address = staticAddress(subnet, request.address(), id, field).toString();
    } else if (request.address() != null && !request.address().isBlank()) {
      throw new InvalidRequestException(
          field + ": a DHCP vNIC gets its address from DHCP; leave address empty",
          field + ".address");
    }
    MacAddress mac = macs.allocateMac("vnic:" + id);
    jdbc.sql(
            "INSERT INTO fabric_vnic (id, tenant_id, vm_id, subnet_id, position, mac, addressing, address,"
                + " created_at) VALUES (:id, :tenant, :vm, :subnet, :position, :mac, :mode, :address, :at)")
        .param("id", id.value())
        .param("tenant", tenant.value())
        .param("vm", vm.value())
        .param("subnet", subnet.id().value())
        .param("position", position)
        .param("mac", mac.toString())
        .param("mode", mode.name())
        .param("address", address)
        .param("at", Timestamp.from(clock.instant()))
        .update();
  }

  void release(Vnic nic) {
    SubnetRecord subnet =
        jdbc.sql("SELECT * FROM fabric_subnet WHERE id = :id")
            .param("id", nic.subnetId().value())
            .query(SubnetRecord::map)
            .single();
    if (nic.address() != null) {
      pools.release(subnet.poolId(), IpAddressValue.parse(nic.address()));
    }
    macs.releaseMac(MacAddress.parse(nic.mac()));
  }

  Optional<VnicRecord> find(VnicId id) {
    return jdbc.sql("SELECT * FROM fabric_vnic WHERE id = :id")
        .param("id", id.value())
        .query((rs, n) ->
            new VnicRecord(
                id,
                new TenantId(rs.getObject("tenant_id", UUID.class)),
                new VmId(rs.getObject("vm_id", UUID.class)),
                new SubnetId(rs.getObject("subnet_id", UUID.class)),
                Addressing.valueOf(rs.getString("addressing")),
                rs.getString("address")))
        .optional();
  }

  /** The vNIC's DHCP address, allocated on first request from the subnet's DHCP ranges. */
  String leaseDhcp(VnicRecord nic) {
    if (nic.addressing() != Addressing.DHCP) {
      throw new ConflictException("the vNIC has a static address", "vnicId");
    }
    jdbc.sql("SELECT id FROM fabric_vnic WHERE id = :id FOR UPDATE")
        .param("id", nic.id().value())
        .query(Object.class)
        .optional();
    String current = find(nic.id()).map(VnicRecord::address).orElse(null);
    if (current != null) {
      return current;
    }
    SubnetRecord subnet = subnets.require(nic.tenantId(), nic.subnetId());
    for (DhcpRangeRecord range : dhcpRanges.inSubnet(subnet.id())) {
      try {
        String address =
            pools.allocateNext(subnet.poolId(), range.rangeId(), "vnic:" + nic.id()).toString();
        jdbc.sql("UPDATE fabric_vnic SET address = :address WHERE id = :id")
            .param("address", address)
            .param("id", nic.id().value())
            .update();
        events.publishEvent(
            new FabricEvent.VnicAddressAssigned(nic.tenantId(), nic.vmId(), nic.id(), address));
        return address;
      } catch (PoolExhaustedException full) {
        // try the next range
      }
    }
    throw new ConflictException("the subnet's DHCP ranges have no free address", "subnetId");
  }

  /**
   * Gives the vNIC's DHCP address back to its pool if it still is {@code expected}; the tables lose
   * its lookup record. False when the vNIC is static or its address changed meanwhile.
   */
  boolean reclaimDhcp(VnicRecord nic, String expected) {
    if (nic.addressing() != Addressing.DHCP) {
      return false;
    }
    jdbc.sql("SELECT id FROM fabric_vnic WHERE id = :id FOR UPDATE")
        .param("id", nic.id().value())
        .query(Object.class)
        .optional();
    String current = find(nic.id()).map(VnicRecord::address).orElse(null);
    if (current == null || !current.equals(expected)) {
      return false;
    }
    SubnetRecord subnet = subnets.require(nic.tenantId(), nic.subnetId());
    IpAddressValue value = IpAddressValue.parse(current);
    if (pools.ownerOf(subnet.poolId(), value).filter(("vnic:" + nic.id())::equals).isPresent()) {
      pools.release(subnet.poolId(), value);
    }
    jdbc.sql("UPDATE fabric_vnic SET address = NULL WHERE id = :id")
        .param("id", nic.id().value())
        .update();
    events.publishEvent(
        new FabricEvent.VnicAddressReleased(nic.tenantId(), nic.vmId(), nic.id(), current));
    return true;
  }

  /**
   * Moves IPAM's allocation of {@code address} to the vNIC and makes it the vNIC's static address;
   * its previous address goes back to the pool. The address must be free or allocated to {@code
   * fromOwner}.
   */
  String reassign(VnicRecord nic, String address, String fromOwner) {
    jdbc.sql("SELECT id FROM fabric_vnic WHERE id = :id FOR UPDATE")
        .param("id", nic.id().value())
        .query(Object.class)
        .optional();
    VnicRecord current =
        find(nic.id()).orElseThrow(() -> new NotFoundException("no such vNIC", "vnicId"));
    SubnetRecord subnet = subnets.require(nic.tenantId(), nic.subnetId());
    IpAddressValue value = IpAddressValue.parse(address, "address");
    String owner = "vnic:" + nic.id();
    Optional<String> holder = pools.ownerOf(subnet.poolId(), value);
    if (holder.filter(owner::equals).isPresent()) {
      throw new ConflictException(address + " is already this vNIC's address", "address");
    }
    if (holder.isPresent() && !holder.get().equals(fromOwner)) {
      throw new ConflictException(
          address + " is allocated to " + holder.get() + ": release it there first", "address");
    }
    holder.ifPresent(gone -> pools.release(subnet.poolId(), value));
    pools.allocate(subnet.poolId(), value, owner);
    if (current.address() != null) {
      IpAddressValue old = IpAddressValue.parse(current.address());
      if (pools.ownerOf(subnet.poolId(), old).filter(owner::equals).isPresent()) {
        pools.release(subnet.poolId(), old);
      }
    }
    String assigned = value.toString();
    jdbc.sql("UPDATE fabric_vnic SET address = :address, addressing = 'STATIC' WHERE id = :id")
        .param("address", assigned)
        .param("id", nic.id().value())
        .update();
    events.publishEvent(
        new FabricEvent.VnicAddressAssigned(nic.tenantId(), nic.vmId(), nic.id(), assigned));
    return assigned;
  }

  private IpAddressValue staticAddress(
      SubnetRecord subnet, String requested, VnicId id, String field) {
    if (requested == null || requested.isBlank()) {
      if (subnet.staticRangeId() == null) {
        throw new InvalidRequestException(
            field + ": give an address, or define a static range on subnet '" + subnet.name() + "'",
            field + ".address");
      }
      return pools.allocateNext(subnet.poolId(), subnet.staticRangeId(), "vnic:" + id);
    }
    IpAddressValue address = IpAddressValue.parse(requested.strip(), field + ".address");
    if (!subnet.prefix().hosts().contains(address)) {
      throw new InvalidRequestException(
          field + ": " + address + " is not a host address of subnet " + subnet.prefix(),
          field + ".address");
    }
    for (DhcpRangeRecord range : dhcpRanges.inSubnet(subnet.id())) {
      if (io.weft.ipam.IpRange.of(range.start(), range.end()).contains(address)) {
        throw new ConflictException(
            field + ": " + address + " lies in the DHCP range " + range.start() + "-" + range.end(),
            field + ".address");
      }
    }
    try {
      return pools.allocate(subnet.poolId(), address, "vnic:" + id);
    } catch (AddressInUseException taken) {
      // IPAM names its own parameter ("address"); the caller's field is this vNIC's.
      throw new ConflictException(
          field + ": " + address + " is already used in subnet " + subnet.prefix(),
          field + ".address");
    }
  }

  private static Addressing mode(NewVnic request, String field) {
    if (request.addressing() == null || request.addressing().isBlank()) {
      return request.address() == null || request.address().isBlank()
          ? Addressing.DHCP
          : Addressing.STATIC;
    }
    try {
      return Addressing.valueOf(request.addressing().strip().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new InvalidRequestException(
          field + ".addressing must be STATIC or DHCP", field + ".addressing");
    }
  }
}
