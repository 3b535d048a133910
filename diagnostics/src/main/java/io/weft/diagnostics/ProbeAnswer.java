package io.weft.diagnostics;

import java.time.Instant;
import java.util.List;

/**
 * What a live probe found: one sentence, the path as every host on it recorded it (with times), the
 * round-trip times, and the host's own answers.
 *
 * @param id the probe's id (poll {@code GET /api/v1/diagnostics/probes/{id}?wait=S})
 * @param state RUNNING until the source host's agent answered (or the probe timed out), then DONE
 * @param summary one sentence: the RTT, or where and why it broke
 * @param reached whether at least one reply came back to the source vNIC
 * @param source the source VM and address
 * @param destination the probed address and, when known, its VM
 * @param sent echoes injected (never more than asked)
 * @param replies replies delivered back to the source vNIC
 * @param rttMillis the round-trip time of each reply, measured on the source host's switch
 * @param hops every decision every host on the path took for the probe, in time order
 * @param checks the source host's own answers (ARP or neighbour discovery for the gateway, DHCP
 *     offer, …)
 * @param notes things worth knowing that do not decide the answer
 * @param startedAt when the probe was started
 */
public record ProbeAnswer(
    String id,
    State state,
    String summary,
    boolean reached,
    String source,
    String destination,
    int sent,
    int replies,
    List<Double> rttMillis,
    List<Hop> hops,
    List<Check> checks,
    List<String> notes,
    Instant startedAt) {

  public ProbeAnswer {
    rttMillis = List.copyOf(rttMillis);
    hops = List.copyOf(hops);
    checks = List.copyOf(checks);
    notes = List.copyOf(notes);
  }

  /** Whether the probe is still under way. */
  public enum State {
    RUNNING,
    DONE
  }

  /**
   * One decision of one host's switch for a probe packet.
   *
   * @param host the host's name for operators; "source host" or "destination host" for tenants
   * @param at wall time on that host
   * @param direction REQUEST or REPLY
   * @param stage the pipeline stage (PARSE, PORT_SECURITY, ROUTE, ENCAPSULATE, DECAPSULATE,
   *     DELIVER, DROP, …)
   * @param detail what it decided; a drop starts with its counter's reason
   * @param dropped whether the packet was dropped here
   */
  public record Hop(
      String host, Instant at, String direction, String stage, String detail, boolean dropped) {}

  /**
   * One of the source host's own answers.
   *
   * @param name GATEWAY_ARP, DESTINATION_ARP or DHCP_OFFER (IPv4); GATEWAY_ND or DESTINATION_ND
   *     (IPv6: the neighbour solicitation the VM would send, answered by its host or not)
   * @param ok whether the host answered as it should
   * @param detail what it answered
   */
  public record Check(String name, boolean ok, String detail) {}
}
