package io.weft.fabric;

import java.time.Instant;
import java.util.List;

/**
 * A VM subnet: a prefix with a cloud-wide VSID; its default gateway is the first host address.
 *
 * @param staticRange where STATIC vNICs without an explicit address get one; null if none
 */
public record Subnet(
    SubnetId id,
    TenantId tenantId,
    VmNetworkId vmNetworkId,
    String name,
    String cidr,
    String family,
    int vsid,
    String gateway,
    AddressRange staticRange,
    List<String> reserved,
    Utilisation utilisation,
    Instant createdAt) {}
