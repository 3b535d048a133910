package io.weft.dataplane.pipeline;

/** Why the switch dropped a frame; each has a counter per port and per host. */
public enum DropReason {
  /** Source MAC or IP (or ARP/ND sender) is not the vNIC's. */
  SPOOFED_SOURCE,
  /** A DHCP server message sent by a VM. */
  DHCP_GUARD,
  /** An IPv6 router advertisement or an ICMP/ICMPv6 redirect sent by a VM. */
  ROUTER_GUARD,
  /** Broadcast/multicast above the port's storm limit. */
  STORM,
  /** Encapsulated packet for a VSID that has no subnet on this host. */
  UNKNOWN_VSID,
  /** No lookup record or subnet for the destination within the VM network. */
  NO_ROUTE,
  /** The frame or packet could not be parsed. */
  MALFORMED,
  /** TTL or hop limit would reach zero while routing. */
  TTL_EXPIRED,
  /** Underlay packet not addressed to this host or to a local vNIC of its VSID. */
  NOT_LOCAL,
  /** Frame from a port the table does not know. */
  UNKNOWN_PORT,
  /** A frame the switch never forwards: flooding, unsupported EtherTypes, fragments to answer. */
  UNSUPPORTED,
  /**
   * An IP packet from a VM larger than the overlay MTU: answered with ICMP "fragmentation needed"
   * (IPv4 with DF) or ICMPv6 "packet too big"; an IPv4 packet without DF is only dropped (the
   * switch does not fragment).
   */
  TOO_BIG;

  private static final DropReason[] VALUES = values();

  public static DropReason of(int ordinal) {
    return VALUES[ordinal];
  }
}
