package io.weft.fabric;

import java.util.List;

/** A tenant's VM networks, their subnets and the subnets' DHCP ranges. */
public interface NetworkService {

  VmNetwork createVmNetwork(Caller caller, TenantId tenantId, String name);

  List<VmNetwork> listVmNetworks(Caller caller, TenantId tenantId);

  VmNetwork getVmNetwork(Caller caller, TenantId tenantId, VmNetworkId id);

  VmNetwork renameVmNetwork(Caller caller, TenantId tenantId, VmNetworkId id, String name);

  /** Refused (409) while the VM network has subnets. */
  void deleteVmNetwork(Caller caller, TenantId tenantId, VmNetworkId id);

  Subnet createSubnet(Caller caller, TenantId tenantId, VmNetworkId vmNetworkId, NewSubnet subnet);

  List<Subnet> listSubnets(Caller caller, TenantId tenantId, VmNetworkId vmNetworkId);

  Subnet getSubnet(Caller caller, TenantId tenantId, SubnetId id);

  Subnet renameSubnet(Caller caller, TenantId tenantId, SubnetId id, String name);

  /** Refused (409) while vNICs use the subnet; its DHCP ranges go with it. */
  void deleteSubnet(Caller caller, TenantId tenantId, SubnetId id);

  DhcpRange addDhcpRange(Caller caller, TenantId tenantId, SubnetId subnetId, NewDhcpRange range);

  List<DhcpRange> listDhcpRanges(Caller caller, TenantId tenantId, SubnetId subnetId);

  DhcpRange getDhcpRange(Caller caller, TenantId tenantId, DhcpRangeId id);

  /** Refused (409) while addresses from the range are leased. */
  void deleteDhcpRange(Caller caller, TenantId tenantId, DhcpRangeId id);
}
