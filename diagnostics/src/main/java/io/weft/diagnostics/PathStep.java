package io.weft.diagnostics;

/**
 * One decision on a traced path, taken by the data plane's own pipeline code.
 *
 * @param direction the request or the reply
 * @param host where it was decided: the host's name for operators; "source host" or "destination
 *     host" for tenants
 * @param stage the pipeline stage (PORT_SECURITY, LOCAL_ANSWER, L2_LOOKUP, ROUTE, ENCAPSULATE,
 *     DECAPSULATE, DELIVER, DROP, …) or CHECK for a fabric-side check (host state, generation)
 * @param detail what happened, in words
 * @param decidedBy the table entry or rule that decided it
 * @param dropped whether the packet was dropped here
 */
public record PathStep(
    Direction direction,
    String host,
    String stage,
    String detail,
    String decidedBy,
    boolean dropped) {

  /**
   * Whether this step belongs to the VM's question for the next hop's MAC (ARP, or for IPv6 a
   * neighbour solicitation) rather than to the packet itself: its DELIVER hands the host's answer
   * back to the asking VM, not the packet to the destination.
   */
  public boolean resolvesNextHop() {
    return detail.startsWith("ARP for ") || detail.startsWith("neighbour solicitation for ");
  }

  /** The request from the source, or the reply back to it. */
  public enum Direction {
    FORWARD,
    RETURN
  }
}
