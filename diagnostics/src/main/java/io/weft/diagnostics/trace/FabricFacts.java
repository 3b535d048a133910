package io.weft.diagnostics.trace;

import io.weft.dataplane.table.HostTable;
import io.weft.dataplane.table.IpAddress;
import io.weft.dataplane.table.MacAddress;
import io.weft.fabric.Addressing;
import io.weft.fabric.HostId;
import io.weft.fabric.HostState;
import io.weft.fabric.SubnetId;
import io.weft.fabric.TenantId;
import io.weft.fabric.VmId;
import io.weft.fabric.VmNetworkId;
import io.weft.fabric.VmState;
import io.weft.fabric.VnicId;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** What a trace needs to know about the fabric's model, asked as the system (no tenant check). */
public interface FabricFacts {

  Optional<VnicFacts> vnic(VnicId id);

  /** Every vNIC of the tenant: to tell why an address is not in the source's tables. */
  List<VnicFacts> tenantVnics(TenantId tenant);

  Optional<HostFacts> host(HostId id);

  Optional<HostFacts> hostByPa(IpAddress pa);

  /**
   * The host's intended table at its current generation, holding only {@code network} (if the host
   * has it): a packet of one VM network is never decided by another's entries, so that is all a
   * trace of it needs.
   */
  HostTable intendedTable(HostId id, VmNetworkId network);

  /** The subnet's name and whether it has any DHCP range. */
  SubnetFacts subnet(TenantId tenant, SubnetId id);

  String vmNetworkName(TenantId tenant, VmNetworkId id);

  /** Live migrations of the VM not yet done, as "from → to, phase" sentences for operators. */
  List<MigrationFacts> migrationsInFlight(VmId vm);

  /** A vNIC with its VM and placement. */
  record VnicFacts(
      VnicId id,
      VmId vmId,
      String vmName,
      TenantId tenant,
      VmNetworkId network,
      SubnetId subnet,
      MacAddress mac,
      Addressing addressing,
      IpAddress address,
      VmState vmState,
      HostId host) {}

  /**
   * A host as the fabric sees it.
   *
   * @param appliedGeneration what its agent last reported applying, -1 if never
   */
  record HostFacts(
      HostId id,
      String name,
      IpAddress pa,
      HostState state,
      long intendedGeneration,
      long appliedGeneration,
      Instant lastSeenAt) {}

  record SubnetFacts(String name, String cidr, boolean hasDhcpRange) {}

  record MigrationFacts(String fromHost, String toHost, String phase) {}
}
