package io.weft.diagnostics;

/**
 * What to trace: a packet the VM behind {@code sourceVnicId} would send. Fields are taken as text
 * so that a bad value is answered with the field's name.
 *
 * @param sourceVnicId the vNIC the packet leaves from (required)
 * @param destination the IPv4 or IPv6 address the packet is for (required; of the vNIC's own
 *     family)
 * @param protocol ICMP (echo request, the default), TCP (a SYN) or UDP
 * @param port destination port for TCP and UDP (1..65535), absent for ICMP
 * @param size IP packet size in bytes, 28..9000; default 84 (a default ping), 40 for TCP (IPv6: 20
 *     more each: 48.., 104, 60)
 * @param sourceAddress what-if: the source address the VM uses instead of its own; absent = its own
 */
public record TraceRequest(
    String sourceVnicId,
    String destination,
    String protocol,
    Integer port,
    Integer size,
    String sourceAddress) {

  /** An ICMP echo from a vNIC to an address with default size. */
  public static TraceRequest ping(String sourceVnicId, String destination) {
    return new TraceRequest(sourceVnicId, destination, null, null, null, null);
  }
}
