package io.weft.diagnostics;

/**
 * "Can this vNIC reach that address?", asked once: the trace over intended tables, the trace over
 * applied tables and a live probe run together. Fields are taken as text so that a bad value is
 * answered with the field's name.
 *
 * @param sourceVnicId the vNIC the packet leaves from (required)
 * @param destination the IPv4 or IPv6 address it is for (required; of the vNIC's own family)
 * @param protocol ICMP (echo request, the default), TCP (a SYN) or UDP; the live probe always sends
 *     ICMP echoes, so for TCP and UDP only the traces see the port
 * @param port destination port for TCP and UDP (1..65535), absent for ICMP
 * @param waitSeconds how long the call waits for the live probe to finish, 0..30 (default 10); when
 *     it is still under way the answer says RUNNING and {@code GET .../connectivity/{id}?wait=}
 *     finishes it
 */
public record ConnectivityRequest(
    String sourceVnicId, String destination, String protocol, Integer port, Integer waitSeconds) {

  /** An ICMP echo from a vNIC to an address, waiting the default time. */
  public static ConnectivityRequest ping(String sourceVnicId, String destination) {
    return new ConnectivityRequest(sourceVnicId, destination, null, null, null);
  }

  /** The packet to trace. */
  public TraceRequest trace() {
    return new TraceRequest(sourceVnicId, destination, protocol, port, null, null);
  }

  /** The live probe to start: ICMP echoes whatever the protocol (the probe sends nothing else). */
  public ProbeRequest probe() {
    return ProbeRequest.ping(sourceVnicId, destination);
  }
}
