package io.weft.diagnostics.reconciliation;

import io.weft.diagnostics.Finding;
import io.weft.diagnostics.FindingState;
import io.weft.fabric.Caller;
import io.weft.fabric.ConflictException;
import io.weft.fabric.InvalidRequestException;
import io.weft.fabric.NotFoundException;
import io.weft.fabric.VmService;
import io.weft.fabric.VnicId;
import io.weft.ipam.IpAddressValue;
import io.weft.ipam.IpamException;
import java.math.BigDecimal;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The operator's "re-assign": the finding's address becomes the static address of a vNIC of the
 * same VM network (usually the one seen using it), through the fabric, so IPAM, the model and the
 * tables agree with what is observed. Only an address that is free, or whose owner is gone, moves:
 * an address a living vNIC holds is never taken from it.
 */
@Component
class FindingReassignment {

  private final JdbcClient jdbc;
  private final VmService vms;

  FindingReassignment(JdbcClient jdbc, VmService vms) {
    this.jdbc = jdbc;
    this.vms = vms;
  }

  void reassign(Caller caller, Finding f, String vnicText) {
    if (vnicText == null || vnicText.isBlank()) {
      throw new InvalidRequestException("re-assigning needs the vNIC to give it to", "vnicId");
    }
    UUID vnic;
    try {
      vnic = UUID.fromString(vnicText.strip());
    } catch (IllegalArgumentException e) {
      throw new InvalidRequestException("'" + vnicText + "' is not a vNIC id", "vnicId");
    }
    if (f.state() != FindingState.OPEN) {
      throw new ConflictException("only an open finding can be re-assigned", "findingId");
    }
    if (!f.scope().startsWith("vm-network:")) {
      throw new ConflictException(
          "only a VM network's address can be re-assigned to a vNIC", "findingId");
    }
    UUID network = UUID.fromString(f.scope().substring("vm-network:".length()));
    boolean inNetwork =
        jdbc.sql(
                    "SELECT count(*) FROM fabric_vnic n JOIN fabric_subnet s ON s.id = n.subnet_id"
                        + " WHERE n.id = :vnic AND s.vm_network_id = :net")
                .param("vnic", vnic)
                .param("net", network)
                .query(Integer.class)
                .single()
            > 0;
    if (!inNetwork) {
      throw new NotFoundException("no such vNIC in the finding's VM network", "vnicId");
    }
    String owner = currentOwner(network, f.address());
    if (owner != null && !ownerGone(owner)) {
      throw new ConflictException(
          f.address() + " is allocated to " + owner + ", which exists: release it there first",
          "findingId");
    }
    vms.reassignVnicAddress(caller, new VnicId(vnic), f.address(), owner);
  }

  private String currentOwner(UUID network, String address) {
    BigDecimal number;
    try {
      number = new BigDecimal(IpAddressValue.parse(address).value());
    } catch (IpamException e) {
      throw new ConflictException("the finding's address is not an IP address", "findingId");
    }
    return jdbc.sql(
            "SELECT a.owner FROM ipam_allocation a JOIN fabric_subnet s ON s.pool_id = a.pool_id"
                + " WHERE s.vm_network_id = :net AND a.num = :num")
        .param("net", network)
        .param("num", number)
        .query(String.class)
        .optional()
        .orElse(null);
  }

  private boolean ownerGone(String owner) {
    if (!owner.startsWith("vnic:")) {
      return false; // not an owner reconciliation understands: treated as alive
    }
    try {
      UUID id = UUID.fromString(owner.substring("vnic:".length()));
      return jdbc.sql("SELECT count(*) FROM fabric_vnic WHERE id = :id")
              .param("id", id)
              .query(Integer.class)
              .single()
          == 0;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }
}
