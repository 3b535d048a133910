package io.weft.diagnostics;

import java.util.List;

/**
 * The same trace run over what each host on the path reports it has applied, against the trace over
 * the fabric's intended tables.
 *
 * @param agrees every host on the path applies the intended entries for this VM network, and the
 *     two traces take the same steps
 * @param summary one sentence: that they agree, or the first hop where they disagree and why
 * @param hosts each host on the path: whether its applied entries match the intended ones
 * @param firstDifference the first step where the traces part (null when they agree)
 * @param trace the trace over the applied tables (tables = APPLIED)
 */
public record AppliedComparison(
    boolean agrees,
    String summary,
    List<HostAgreement> hosts,
    StepDifference firstDifference,
    TraceAnswer trace) {

  public AppliedComparison {
    hosts = List.copyOf(hosts);
  }

  /**
   * @param host the host's name (operators) or "the source host"/"the destination host" (tenants)
   * @param state SAME (its digest for the VM network is the intended one), DIFFERS (its entries
   *     were fetched and traced), UNKNOWN (it did not report them or did not answer; traced as
   *     intended)
   * @param detail in words
   */
  public record HostAgreement(String host, String state, String detail) {}

  /** The step where the intended and the applied traces part: either may be null (path ended). */
  public record StepDifference(PathStep intended, PathStep applied) {}
}
