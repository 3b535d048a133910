package io.weft.fabric;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A tenant VM with its vNICs.
 *
 * @param placement present only when an operator asks
 */
public record Vm(
    VmId id,
    TenantId tenantId,
    String name,
    VmState state,
    List<Vnic> nics,
    Optional<Placement> placement,
    Instant createdAt) {}
