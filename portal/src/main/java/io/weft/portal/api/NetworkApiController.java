package io.weft.portal.api;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.weft.fabric.DhcpRange;
import io.weft.fabric.NetworkService;
import io.weft.fabric.NewDhcpRange;
import io.weft.fabric.NewSubnet;
import io.weft.fabric.Subnet;
import io.weft.fabric.VmNetwork;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/tenants/{tenantId}")
@Tag(
    name = "VM networks",
    description = "A tenant's routing domains, their subnets and DHCP ranges")
class NetworkApiController {

  private final NetworkService networks;
  private final CallerResolver callers;

  NetworkApiController(NetworkService networks, CallerResolver callers) {
    this.networks = networks;
    this.callers = callers;
  }

  @PostMapping("/vm-networks")
  @ResponseStatus(HttpStatus.CREATED)
  @Operation(summary = "Create a VM network (an isolated routing domain)")
  VmNetwork createNetwork(
      Authentication auth, @PathVariable String tenantId, @RequestBody NameChange body) {
    return networks.createVmNetwork(callers.resolve(auth), PathIds.tenant(tenantId), body.name());
  }

  @GetMapping("/vm-networks")
  List<VmNetwork> listNetworks(Authentication auth, @PathVariable String tenantId) {
    return networks.listVmNetworks(callers.resolve(auth), PathIds.tenant(tenantId));
  }

  @GetMapping("/vm-networks/{id}")
  VmNetwork getNetwork(
      Authentication auth, @PathVariable String tenantId, @PathVariable String id) {
    return networks.getVmNetwork(
        callers.resolve(auth), PathIds.tenant(tenantId), PathIds.vmNetwork(id));
  }

  @PutMapping("/vm-networks/{id}")
  @Operation(summary = "Rename a VM network")
  VmNetwork renameNetwork(
      Authentication auth,
      @PathVariable String tenantId,
      @PathVariable String id,
      @RequestBody NameChange body) {
    return networks.renameVmNetwork(
        callers.resolve(auth), PathIds.tenant(tenantId), PathIds.vmNetwork(id), body.name());
  }

  @DeleteMapping("/vm-networks/{id}")
  @ResponseStatus(HttpStatus.NO_CONTENT)
  @Operation(summary = "Delete a VM network; refused (409) while it has subnets")
  void deleteNetwork(Authentication auth, @PathVariable String tenantId, @PathVariable String id) {
    networks.deleteVmNetwork(
        callers.resolve(auth), PathIds.tenant(tenantId), PathIds.vmNetwork(id));
  }

  @PostMapping("/vm-networks/{networkId}/subnets")
  @ResponseStatus(HttpStatus.CREATED)
  @Operation(
      summary = "Create a subnet: a VSID is allocated and the gateway is the first host address")
  Subnet createSubnet(
      Authentication auth,
      @PathVariable String tenantId,
      @PathVariable String networkId,
      @RequestBody NewSubnet body) {
    return networks.createSubnet(
        callers.resolve(auth), PathIds.tenant(tenantId), PathIds.vmNetwork(networkId), body);
  }

  @GetMapping("/vm-networks/{networkId}/subnets")
  List<Subnet> listSubnets(
      Authentication auth, @PathVariable String tenantId, @PathVariable String networkId) {
    return networks.listSubnets(
        callers.resolve(auth), PathIds.tenant(tenantId), PathIds.vmNetwork(networkId));
  }

  @GetMapping({"/subnets/{id}", "/vm-networks/{networkId}/subnets/{id}"})
  Subnet getSubnet(Authentication auth, @PathVariable String tenantId, @PathVariable String id) {
    return networks.getSubnet(callers.resolve(auth), PathIds.tenant(tenantId), PathIds.subnet(id));
  }

  @PutMapping({"/subnets/{id}", "/vm-networks/{networkId}/subnets/{id}"})
  @Operation(summary = "Rename a subnet")
  Subnet renameSubnet(
      Authentication auth,
      @PathVariable String tenantId,
      @PathVariable String id,
      @RequestBody NameChange body) {
    return networks.renameSubnet(
        callers.resolve(auth), PathIds.tenant(tenantId), PathIds.subnet(id), body.name());
  }

  @DeleteMapping({"/subnets/{id}", "/vm-networks/{networkId}/subnets/{id}"})
  @ResponseStatus(HttpStatus.NO_CONTENT)
  @Operation(summary = "Delete a subnet and its DHCP ranges; refused (409) while vNICs use it")
  void deleteSubnet(Authentication auth, @PathVariable String tenantId, @PathVariable String id) {
    networks.deleteSubnet(callers.resolve(auth), PathIds.tenant(tenantId), PathIds.subnet(id));
  }

  @PostMapping({
    "/subnets/{subnetId}/dhcp-ranges",
    "/vm-networks/{networkId}/subnets/{subnetId}/dhcp-ranges"
  })
  @ResponseStatus(HttpStatus.CREATED)
  @Operation(summary = "Add a DHCP range inside the subnet, clear of the gateway and other ranges")
  DhcpRange addRange(
      Authentication auth,
      @PathVariable String tenantId,
      @PathVariable String subnetId,
      @RequestBody NewDhcpRange body) {
    return networks.addDhcpRange(
        callers.resolve(auth), PathIds.tenant(tenantId), PathIds.subnet(subnetId), body);
  }

  @GetMapping({
    "/subnets/{subnetId}/dhcp-ranges",
    "/vm-networks/{networkId}/subnets/{subnetId}/dhcp-ranges"
  })
  List<DhcpRange> listRanges(
      Authentication auth, @PathVariable String tenantId, @PathVariable String subnetId) {
    return networks.listDhcpRanges(
        callers.resolve(auth), PathIds.tenant(tenantId), PathIds.subnet(subnetId));
  }

  @GetMapping({
    "/dhcp-ranges/{id}",
    "/subnets/{subnetId}/dhcp-ranges/{id}",
    "/vm-networks/{networkId}/subnets/{subnetId}/dhcp-ranges/{id}"
  })
  DhcpRange getRange(Authentication auth, @PathVariable String tenantId, @PathVariable String id) {
    return networks.getDhcpRange(
        callers.resolve(auth), PathIds.tenant(tenantId), PathIds.dhcpRange(id));
  }

  @DeleteMapping({
    "/dhcp-ranges/{id}",
    "/subnets/{subnetId}/dhcp-ranges/{id}",
    "/vm-networks/{networkId}/subnets/{subnetId}/dhcp-ranges/{id}"
  })
  @ResponseStatus(HttpStatus.NO_CONTENT)
  @Operation(summary = "Delete a DHCP range; refused (409) while its addresses are leased")
  void deleteRange(Authentication auth, @PathVariable String tenantId, @PathVariable String id) {
    networks.deleteDhcpRange(
        callers.resolve(auth), PathIds.tenant(tenantId), PathIds.dhcpRange(id));
  }
}
