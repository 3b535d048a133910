package io.weft.dataplane.table;

/** How a vNIC learns its customer address. */
public enum AddressingMode {
  /** Configured inside the VM; the table lists it in the port's allowed addresses. */
  STATIC,
  /** Served by the host's DHCP responder; the fabric assigns the address. */
  DHCP
}
