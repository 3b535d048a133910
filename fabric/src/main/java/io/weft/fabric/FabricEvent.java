package io.weft.fabric;

import java.util.List;

/**
 * What changed in the fabric, published inside the changing transaction so that consumers (the
 * table compiler) record their consequences atomically with the change itself.
 */
public sealed interface FabricEvent {

  record VmNetworkCreated(TenantId tenantId, VmNetworkId vmNetworkId) implements FabricEvent {}

  record VmNetworkDeleted(TenantId tenantId, VmNetworkId vmNetworkId) implements FabricEvent {}

  record SubnetCreated(TenantId tenantId, VmNetworkId vmNetworkId, SubnetId subnetId)
      implements FabricEvent {}

  record SubnetDeleted(TenantId tenantId, VmNetworkId vmNetworkId, SubnetId subnetId, int vsid)
      implements FabricEvent {}

  /** A DHCP range was added, changed or removed. */
  record DhcpRangesChanged(TenantId tenantId, VmNetworkId vmNetworkId, SubnetId subnetId)
      implements FabricEvent {}

  record VmPlaced(TenantId tenantId, VmId vmId, HostId hostId) implements FabricEvent {}

  record VmMigrated(TenantId tenantId, VmId vmId, HostId from, HostId to) implements FabricEvent {}

  /** A VM is gone; it lived on {@code hostId} (null if it never was placed). */
  record VmDeleted(TenantId tenantId, VmId vmId, HostId hostId, List<VmNetworkId> vmNetworkIds)
      implements FabricEvent {}

  record VnicAddressAssigned(TenantId tenantId, VmId vmId, VnicId vnicId, String address)
      implements FabricEvent {}

  /** A vNIC's DHCP address went back to its pool (an expired lease reclaimed). */
  record VnicAddressReleased(TenantId tenantId, VmId vmId, VnicId vnicId, String address)
      implements FabricEvent {}

  record HostRegistered(HostId hostId) implements FabricEvent {}

  record HostStateChanged(HostId hostId, HostState state) implements FabricEvent {}

  record HostRemoved(HostId hostId) implements FabricEvent {}

  /**
   * A machine behind an external endpoint was admitted into a VM network: hosts sharing the network
   * gain the lookup record (vsid, address, mac) → providerAddress.
   */
  record ExternalMachineAdded(
      TenantId tenantId,
      VmNetworkId vmNetworkId,
      int vsid,
      String address,
      String mac,
      String providerAddress)
      implements FabricEvent {}

  /** A machine behind an external endpoint was withdrawn: hosts drop its lookup record. */
  record ExternalMachineRemoved(
      TenantId tenantId, VmNetworkId vmNetworkId, int vsid, String address)
      implements FabricEvent {}
}
