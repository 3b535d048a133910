package io.weft.fabric;

import java.util.Collection;
import java.util.List;
import java.util.Map;

/** Tenant VMs, their vNICs and placement on hosts. */
public interface VmService {

  /**
   * Creates the VM, numbers its vNICs and places it on a ready host with room (PENDING if none).
   */
  Vm createVm(Caller caller, TenantId tenantId, NewVm vm);

  /** Every VM of the tenant, by name; prefer {@link #pageVms} where a tenant may have many. */
  List<Vm> listVms(Caller caller, TenantId tenantId);

  /** One page of the tenant's VMs, ordered by name then id. */
  default Page<Vm> pageVms(Caller caller, TenantId tenantId, PageRequest page) {
    return pageVms(caller, tenantId, null, page);
  }

  /**
   * One page of the tenant's VMs whose name contains {@code nameContains} in any case (all when it
   * is null or blank; at most {@value VmSearch#MAX_LENGTH} characters), ordered by name then id.
   */
  Page<Vm> pageVms(Caller caller, TenantId tenantId, String nameContains, PageRequest page);

  Vm getVm(Caller caller, TenantId tenantId, VmId id);

  Vm renameVm(Caller caller, TenantId tenantId, VmId id, String name);

  /** Deletes the VM and releases its addresses and MACs. */
  void deleteVm(Caller caller, TenantId tenantId, VmId id);

  /** Operators only: every VM of every tenant, with placement. */
  List<Vm> listAllVms(Caller caller);

  /** Operators only: one page of every tenant's VMs, with placement, ordered by name then id. */
  default Page<Vm> pageAllVms(Caller caller, PageRequest page) {
    return pageAllVms(caller, null, page);
  }

  /**
   * Operators only: as {@link #pageAllVms(Caller, PageRequest)}, by name as in {@link #pageVms}.
   */
  Page<Vm> pageAllVms(Caller caller, String nameContains, PageRequest page);

  /**
   * Operators only: the VMs with these ids, with placement and vNICs, ordered by name then id; ids
   * of no VM are left out. Reads only the VMs asked for, whatever the size of the cloud.
   */
  List<Vm> findVms(Caller caller, Collection<VmId> ids);

  /**
   * Operators only: the VMs that own these vNICs (each once), with placement and vNICs, ordered by
   * name then id; ids of no vNIC are left out.
   */
  List<Vm> findVmsByVnic(Caller caller, Collection<VnicId> vnicIds);

  /** Operators only: how many VMs the cloud has in each state (one query, whatever its size). */
  Map<VmState, Long> countVmsByState(Caller caller);

  /** Operators only: live-migrates the VM to another ready host. */
  Vm migrate(Caller caller, VmId id, HostId target);

  /**
   * The DHCP address of a vNIC, allocated from its subnet's DHCP ranges on first request and kept
   * thereafter; called for the data plane's DHCP responder on the host the VM runs on.
   */
  String leaseDhcpAddress(HostId host, VnicId vnic);

  /**
   * Operators (and the reconciliation job): reclaims an expired DHCP lease, as a DHCP server does:
   * the vNIC's address goes back to its subnet's pool and the vNIC has none until its client asks
   * again (then it gets a lease like any new one). Only while the vNIC is a DHCP vNIC that still
   * has exactly {@code address}; answers whether it reclaimed. Audited as {@code
   * vnic.dhcp-reclaim}.
   */
  boolean reclaimDhcpAddress(Caller caller, VnicId vnic, String address);

  /**
   * Operators (reconciliation's re-assign): makes {@code address} the vNIC's static address, so
   * IPAM and the model agree with what the vNIC really uses. IPAM's allocation of the address moves
   * to the vNIC: it must be free or still allocated to {@code fromOwner} (an owner the caller found
   * gone); the vNIC's previous address goes back to its pool. Audited as {@code vnic.reassign};
   * answers the vNIC's new address.
   */
  String reassignVnicAddress(Caller caller, VnicId vnic, String address, String fromOwner);
}
