package io.weft.portal.api;

import io.weft.fabric.DhcpRangeId;
import io.weft.fabric.ExternalHostId;
import io.weft.fabric.ExternalMachineId;
import io.weft.fabric.HostId;
import io.weft.fabric.LogicalNetworkId;
import io.weft.fabric.NotFoundException;
import io.weft.fabric.SubnetId;
import io.weft.fabric.TenantId;
import io.weft.fabric.VmId;
import io.weft.fabric.VmNetworkId;
import java.util.UUID;
import java.util.function.Function;

/** Ids in URL paths: anything that is not a UUID names no object, so it is a 404 like any other. */
final class PathIds {

  private PathIds() {}

  static TenantId tenant(String text) {
    return parse(text, TenantId::new, "tenant", "tenantId");
  }

  static VmNetworkId vmNetwork(String text) {
    return parse(text, VmNetworkId::new, "VM network", "vmNetworkId");
  }

  static SubnetId subnet(String text) {
    return parse(text, SubnetId::new, "subnet", "subnetId");
  }

  static DhcpRangeId dhcpRange(String text) {
    return parse(text, DhcpRangeId::new, "DHCP range", "dhcpRangeId");
  }

  static VmId vm(String text) {
    return parse(text, VmId::new, "VM", "vmId");
  }

  static ExternalHostId externalHost(String text) {
    return parse(text, ExternalHostId::new, "external host", "externalHostId");
  }

  static ExternalMachineId externalMachine(String text) {
    return parse(text, ExternalMachineId::new, "machine", "machineId");
  }

  static HostId host(String text) {
    return parse(text, HostId::new, "host", "hostId");
  }

  static LogicalNetworkId logicalNetwork(String text) {
    return parse(text, LogicalNetworkId::new, "logical network", "logicalNetworkId");
  }

  static UUID uuid(String text, String what, String field) {
    return parse(text, Function.identity(), what, field);
  }

  private static <T> T parse(
      String text, Function<UUID, T> constructor, String what, String field) {
    try {
      return constructor.apply(UUID.fromString(text));
    } catch (IllegalArgumentException e) {
      throw new NotFoundException("no such " + what, field);
    }
  }
}
