package io.weft.fabric;

/**
 * A VM's network adapter.
 *
 * @param address the customer address; null until a DHCP vNIC has received one
 */
public record Vnic(
    VnicId id,
    SubnetId subnetId,
    VmNetworkId vmNetworkId,
    String mac,
    Addressing addressing,
    String address) {}
