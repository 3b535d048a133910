package io.weft.fabric;

/** How a vNIC gets its customer address. */
public enum Addressing {
  /** Given by the caller or numbered from the subnet's static range when created. */
  STATIC,
  /** Handed out by the data plane's DHCP responder from the subnet's DHCP ranges. */
  DHCP
}
