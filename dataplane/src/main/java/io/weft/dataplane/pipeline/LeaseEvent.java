package io.weft.dataplane.pipeline;

import io.weft.dataplane.table.IpAddress;
import io.weft.dataplane.table.MacAddress;

/**
 * What the DHCP responder did for a vNIC; the agent reports these to the fabric, which records the
 * CA in IPAM and publishes the lookup record to every host of the VM network.
 */
public record LeaseEvent(
    Type type, String portId, MacAddress mac, int vsid, IpAddress address, int leaseSeconds) {

  public enum Type {
    /** First ACK for this address. */
    GRANTED,
    /** ACK of a renewal of the same address. */
    RENEWED,
    RELEASED,
    /** The client found the address in use (DHCPDECLINE). */
    DECLINED
  }
}
