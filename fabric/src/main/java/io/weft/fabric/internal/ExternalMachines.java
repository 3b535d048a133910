package io.weft.fabric.internal;

import io.weft.fabric.ConflictException;
import io.weft.fabric.ExternalHostId;
import io.weft.fabric.ExternalMachine;
import io.weft.fabric.ExternalMachineId;
import io.weft.fabric.FabricEvent;
import io.weft.fabric.InvalidRequestException;
import io.weft.fabric.NewExternalMachine;
import io.weft.fabric.NotFoundException;
import io.weft.ipam.AddressInUseException;
import io.weft.ipam.AddressPoolService;
import io.weft.ipam.IpAddressValue;
import io.weft.ipam.IpRange;
import io.weft.ipam.IpamValidationException;
import io.weft.ipam.MacAddress;
import io.weft.ipam.MacPoolService;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.UUID;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Machines behind external endpoints, admitted and withdrawn inside the caller's transaction: the
 * machine's CA is reserved in its subnet's pool (no VM gets it), a MAC inside Weft's block in the
 * MAC pool, and each change is published as a {@link FabricEvent} for the table compiler.
 */
@Component
class ExternalMachines {

  private final JdbcClient jdbc;
  private final AddressPoolService pools;
  private final MacPoolService macs;
  private final SubnetOperations subnets;
  private final DhcpRanges dhcpRanges;
  private final ApplicationEventPublisher events;
  private final Clock clock;

  ExternalMachines(
      JdbcClient jdbc,
      AddressPoolService pools,
      MacPoolService macs,
      SubnetOperations subnets,
      DhcpRanges dhcpRanges,
      ApplicationEventPublisher events,
      Clock clock) {
    this.jdbc = jdbc;
    this.pools = pools;
    this.macs = macs;
    this.subnets = subnets;
    this.dhcpRanges = dhcpRanges;
    this.events = events;
    this.clock = clock;
  }

  /**
   * Admits a machine behind the endpoint {@code hostId} (whose PA is {@code pa}): its address in
   * its subnet's pool, its MAC in the MAC pool when inside Weft's block; field names in errors
   * start with {@code prefix} (e.g. {@code machines[2].}).
   */
  ExternalMachine admit(
      ExternalHostId hostId, String pa, NewExternalMachine request, String prefix) {
    if (request == null) {
      throw new InvalidRequestException(
          prefix + "subnetId, address and mac are required", prefix + "subnetId");
    }
    String subnetField = prefix + "subnetId";
    String addressField = prefix + "address";
    String macField = prefix + "mac";
    if (request.subnetId() == null || request.subnetId().isBlank()) {
      throw new InvalidRequestException(subnetField + " is required", subnetField);
    }
    SubnetRecord subnet = subnet(request.subnetId(), subnetField);
    if (request.address() == null || request.address().isBlank()) {
      throw new InvalidRequestException(addressField + " is required", addressField);
    }
    IpAddressValue address = IpAddressValue.parse(request.address().strip(), addressField);
    if (!subnet.prefix().hosts().contains(address)) {
      throw new InvalidRequestException(
          address + " is not a host address of subnet " + subnet.prefix(), addressField);
    }
    if (address.toString().equals(subnet.gateway())) {
      throw new ConflictException(address + " is the subnet's gateway", addressField);
    }
    for (DhcpRangeRecord range : dhcpRanges.inSubnet(subnet.id())) {
      if (IpRange.of(range.start(), range.end()).contains(address)) {
        throw new ConflictException(
            address + " lies in the DHCP range " + range.start() + "-" + range.end(), addressField);
      }
    }
    MacAddress mac = mac(request.mac(), macField);
    ExternalMachineId id = ExternalMachineId.random();
    if (jdbc.sql("SELECT count(*) FROM fabric_external_machine WHERE mac = :m")
            .param("m", mac.toString())
            .query(Long.class)
            .single()
        > 0) {
      throw new ConflictException("MAC " + mac + " is already admitted", macField);
    }
    reserve(
        () -> pools.allocate(subnet.poolId(), address, "external-machine:" + id),
        addressField,
        address);
    if (inWeftBlock(mac)) {
      reserve(() -> macs.allocateMac(mac, "external-machine:" + id), macField, mac);
    }
    jdbc.sql(
            "INSERT INTO fabric_external_machine (id, external_host_id, tenant_id, subnet_id,"
                + " address, mac, created_at) VALUES (:id, :host, :tenant, :subnet, :address,"
                + " :mac, :at)")
        .param("id", id.value())
        .param("host", hostId.value())
        .param("tenant", subnet.tenantId().value())
        .param("subnet", subnet.id().value())
        .param("address", address.toString())
        .param("mac", mac.toString())
        .param("at", Timestamp.from(clock.instant()))
        .update();
    events.publishEvent(
        new FabricEvent.ExternalMachineAdded(
            subnet.tenantId(),
            subnet.vmNetworkId(),
            subnet.vsid(),
            address.toString(),
            mac.toString(),
            pa));
    return new ExternalMachine(
        id,
        subnet.tenantId(),
        subnet.vmNetworkId(),
        subnet.id(),
        subnet.vsid(),
        address.toString(),
        mac.toString());
  }

  /** Withdraws the machine and releases its address and MAC. */
  void withdraw(ExternalMachine m) {
    jdbc.sql("DELETE FROM fabric_external_machine WHERE id = :id")
        .param("id", m.id().value())
        .update();
    SubnetRecord subnet = subnets.require(m.tenantId(), m.subnetId());
    pools.release(subnet.poolId(), IpAddressValue.parse(m.address()));
    MacAddress mac = MacAddress.parse(m.mac());
    if (inWeftBlock(mac)) {
      macs.releaseMac(mac);
    }
    events.publishEvent(
        new FabricEvent.ExternalMachineRemoved(
            m.tenantId(), m.vmNetworkId(), m.vsid(), m.address()));
  }

  private static boolean inWeftBlock(MacAddress mac) {
    return mac.value() >= MacPoolService.FIRST.value()
        && mac.value() <= MacPoolService.LAST.value();
  }

  private static MacAddress mac(String text, String field) {
    if (text == null || text.isBlank()) {
      throw new InvalidRequestException(field + " is required", field);
    }
    MacAddress mac;
    try {
      mac = MacAddress.parse(text);
    } catch (IpamValidationException e) {
      throw new InvalidRequestException(e.getMessage(), field);
    }
    if ((mac.value() >> 40 & 1) != 0) {
      throw new InvalidRequestException(
          mac + " is a multicast MAC; a machine has a unicast one", field);
    }
    if (mac.value() == 0) {
      throw new InvalidRequestException("00:00:00:00:00:00 is not a machine's MAC", field);
    }
    return mac;
  }

  /** Runs an allocation; an address or MAC already taken is a conflict naming {@code field}. */
  static void reserve(Runnable allocation, String field, Object what) {
    try {
      allocation.run();
    } catch (AddressInUseException e) {
      throw new ConflictException(what + " is already in use", field);
    }
  }

  private SubnetRecord subnet(String text, String field) {
    UUID id;
    try {
      id = UUID.fromString(text.strip());
    } catch (IllegalArgumentException e) {
      throw new InvalidRequestException("'" + text + "' is not a valid id", field);
    }
    return jdbc.sql("SELECT * FROM fabric_subnet WHERE id = :id")
        .param("id", id)
        .query(SubnetRecord::map)
        .optional()
        .orElseThrow(() -> new NotFoundException("no such subnet", field));
  }
}
