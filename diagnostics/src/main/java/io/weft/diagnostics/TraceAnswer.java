package io.weft.diagnostics;

import java.util.List;

/**
 * The answer to "can this packet get there and back": one sentence, every blocker with its fix, and
 * the path step by step.
 *
 * @param summary one sentence: where and why it breaks, or that it works
 * @param reachable the request reaches the destination and the reply reaches the source, with no
 *     blocker on the way
 * @param tables which tables were traced: INTENDED (the fabric's) or APPLIED (what agents report)
 * @param source the source vNIC's VM and address
 * @param destination the destination address and, when known, its VM
 * @param packet the packet traced, e.g. "ICMP echo, 84 bytes"
 * @param steps the decisions, forward then return
 * @param blockers every blocker on the path, in path order
 * @param notes things worth knowing that do not block (a live migration in flight, …)
 * @param applied the same trace over what the hosts on the path report they have applied, and where
 *     it parts from this one; null when not compared (e.g. inside the applied trace itself)
 */
public record TraceAnswer(
    String summary,
    boolean reachable,
    String tables,
    String source,
    String destination,
    String packet,
    List<PathStep> steps,
    List<Blocker> blockers,
    List<String> notes,
    AppliedComparison applied) {

  public TraceAnswer(
      String summary,
      boolean reachable,
      String tables,
      String source,
      String destination,
      String packet,
      List<PathStep> steps,
      List<Blocker> blockers,
      List<String> notes) {
    this(summary, reachable, tables, source, destination, packet, steps, blockers, notes, null);
  }

  /** This answer with the applied-tables comparison attached. */
  public TraceAnswer withApplied(AppliedComparison comparison) {
    return new TraceAnswer(
        summary,
        reachable,
        tables,
        source,
        destination,
        packet,
        steps,
        blockers,
        notes,
        comparison);
  }

  public TraceAnswer {
    steps = List.copyOf(steps);
    blockers = List.copyOf(blockers);
    notes = List.copyOf(notes);
  }
}
