package io.weft.diagnostics.trace;

import io.weft.diagnostics.AppliedComparison;
import io.weft.diagnostics.AppliedComparison.HostAgreement;
import io.weft.diagnostics.AppliedComparison.StepDifference;
import io.weft.diagnostics.PathStep;
import io.weft.diagnostics.TraceAnswer;
import io.weft.diagnostics.trace.FabricFacts.VnicFacts;
import io.weft.fabric.HostId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Puts the trace over applied tables beside the one over intended tables: which hosts on the path
 * apply what the fabric intends for the VM network, and the first step where the two traces part.
 */
final class AppliedComparer {

  private AppliedComparer() {}

  static AppliedComparison compare(
      TraceAnswer intended,
      TraceAnswer applied,
      Map<HostId, AppliedTableSource.AppliedView> views,
      FabricFacts facts,
      VnicFacts source,
      boolean operator) {
    List<HostAgreement> hosts = new ArrayList<>();
    String differing = null;
    for (var e : views.entrySet()) {
      String label = label(e.getKey(), facts, source, operator);
      hosts.add(new HostAgreement(label, e.getValue().state(), e.getValue().detail()));
      if (differing == null && e.getValue().state().equals("DIFFERS")) {
        differing = label + " " + e.getValue().detail();
      }
    }
    StepDifference difference = firstDifference(intended.steps(), applied.steps());
    boolean agrees = difference == null && differing == null;
    String summary;
    if (agrees) {
      summary =
          "The hosts on the path apply the intended entries for this VM network: the trace over"
              + " applied tables takes the same steps.";
    } else if (difference == null) {
      summary =
          "The traces take the same steps, but "
              + differing
              + " (entries this packet does not use).";
    } else {
      PathStep where = difference.applied() != null ? difference.applied() : difference.intended();
      summary =
          "Intended and applied disagree on "
              + where.host()
              + ": intended "
              + describe(difference.intended())
              + ", applied "
              + describe(difference.applied())
              + (differing == null ? "" : "; " + differing)
              + ".";
    }
    return new AppliedComparison(agrees, summary, hosts, difference, applied);
  }

  private static String label(HostId host, FabricFacts facts, VnicFacts source, boolean operator) {
    if (operator) {
      return facts.host(host).map(FabricFacts.HostFacts::name).orElse(host.toString());
    }
    return host.equals(source.host()) ? "the source host" : "the destination host";
  }

  private static StepDifference firstDifference(List<PathStep> intended, List<PathStep> applied) {
    int n = Math.max(intended.size(), applied.size());
    for (int i = 0; i < n; i++) {
      PathStep a = i < intended.size() ? intended.get(i) : null;
      PathStep b = i < applied.size() ? applied.get(i) : null;
      if (a == null || b == null || !same(a, b)) {
        return new StepDifference(a, b);
      }
    }
    return null;
  }

  private static boolean same(PathStep a, PathStep b) {
    return a.direction() == b.direction()
        && Objects.equals(a.host(), b.host())
        && Objects.equals(a.stage(), b.stage())
        && a.dropped() == b.dropped()
        && Objects.equals(a.detail(), b.detail());
  }

  private static String describe(PathStep s) {
    return s == null ? "nothing more (the path ends)" : s.stage() + " (" + s.detail() + ")";
  }
}
