package io.weft.dataplane.table;

import java.util.List;

/**
 * A vNIC attached to this host and its policy.
 *
 * @param portId the vNIC id, stable across moves (the backend maps it to a TAP or memory port)
 * @param vsid the subnet the vNIC is on
 * @param mac the only source MAC the vNIC may use
 * @param addressing STATIC or DHCP
 * @param allowedAddresses source addresses the vNIC may use; for DHCP vNICs the address the fabric
 *     assigned once known (the responder hands out exactly that one)
 * @param dhcpGuard drop DHCP server messages (OFFER/ACK/NAK) sent by the VM
 * @param routerGuard drop IPv6 router advertisements and ICMP redirects sent by the VM
 * @param broadcastPerSecond storm limit for broadcast/multicast frames from the VM; 0 = no limit
 */
public record PortEntry(
    String portId,
    int vsid,
    MacAddress mac,
    AddressingMode addressing,
    List<IpAddress> allowedAddresses,
    boolean dhcpGuard,
    boolean routerGuard,
    int broadcastPerSecond) {

  public PortEntry {
    if (portId == null || portId.isBlank()) {
      throw new IllegalArgumentException("port needs a portId");
    }
    if (mac == null) {
      throw new IllegalArgumentException("port " + portId + " needs a mac");
    }
    if (mac.isMulticast()) {
      throw new IllegalArgumentException("port " + portId + " has a multicast mac " + mac);
    }
    if (addressing == null) {
      addressing = AddressingMode.STATIC;
    }
    allowedAddresses = List.copyOf(allowedAddresses == null ? List.of() : allowedAddresses);
    if (broadcastPerSecond < 0) {
      throw new IllegalArgumentException("port " + portId + " broadcastPerSecond < 0");
    }
  }

  /** A port with both guards on and a storm limit of 100 broadcast frames/s. */
  public static PortEntry guarded(
      String portId,
      int vsid,
      MacAddress mac,
      AddressingMode addressing,
      List<IpAddress> allowedAddresses) {
    return new PortEntry(portId, vsid, mac, addressing, allowedAddresses, true, true, 100);
  }
}
