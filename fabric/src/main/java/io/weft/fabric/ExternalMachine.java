package io.weft.fabric;

/**
 * A machine behind an external endpoint: its customer address and MAC in one VM subnet of a tenant.
 * Hosts sharing the VM network reach it at the endpoint's provider address.
 */
public record ExternalMachine(
    ExternalMachineId id,
    TenantId tenantId,
    VmNetworkId vmNetworkId,
    SubnetId subnetId,
    int vsid,
    String address,
    String mac) {}
