package io.weft.diagnostics.connectivity;

import io.weft.diagnostics.AppliedComparison;
import io.weft.diagnostics.AppliedComparison.HostAgreement;
import io.weft.diagnostics.Blocker;
import io.weft.diagnostics.ProbeAnswer;
import io.weft.diagnostics.TraceAnswer;
import java.util.Locale;

/**
 * Reads the three results as one sentence. Which result speaks depends on what it knows best: a
 * blocker in the fabric's intended tables (a destination nobody has, a stopped VM, another VM
 * network) is the cause whatever the probe saw; when the intended tables would deliver, the live
 * probe says where the packet really stopped and the applied tables say why (a host forwarding with
 * other entries, or behind the fabric). All three texts are already scoped to the reader, so the
 * sentence hides host names and provider addresses from tenants as they do.
 */
final class OneSentence {

  private OneSentence() {}

  /** The live probe got a reply and both traces go there and back. */
  static boolean works(TraceAnswer intended, AppliedComparison applied, ProbeAnswer probe) {
    return probe.state() == ProbeAnswer.State.DONE
        && probe.reached()
        && intended.reachable()
        && (applied == null || applied.trace() == null || applied.trace().reachable());
  }

  static String of(
      TraceAnswer intended, AppliedComparison applied, ProbeAnswer probe, boolean icmp) {
    if (probe.state() == ProbeAnswer.State.RUNNING) {
      return intended.reachable()
          ? "Running: the tables say it should work; the live probe is under way."
          : "Running: the live probe is under way; so far " + clause(intended.summary()) + ".";
    }
    if (works(intended, applied, probe)) {
      return worked(intended, probe, icmp);
    }
    if (probe.reached()) {
      String why =
          !intended.reachable() || applied == null ? intended.summary() : applied.summary();
      return "The live probe got a reply in " + rtt(probe) + ", but " + clause(why) + ".";
    }
    if (brokenAsIntended(intended)) {
      return stripped(intended.summary())
          + (probe.sent() > 0 ? "; the live probe got no reply either" : "")
          + ".";
    }
    return stripped(probe.summary()) + why(intended, applied, probe.summary()) + ".";
  }

  private static String worked(TraceAnswer intended, ProbeAnswer probe, boolean icmp) {
    String replies =
        probe.replies() < probe.sent()
            ? " (" + probe.replies() + " of " + probe.sent() + " echoes answered)"
            : "";
    if (icmp) {
      return "Works: "
          + probe.destination()
          + " answered the live probe in "
          + rtt(probe)
          + replies
          + ", and the traces over the intended and the applied tables go there and back.";
    }
    return "Works: the traces over the intended and the applied tables let "
        + intended.packet()
        + " through there and back, and "
        + probe.destination()
        + " answered the live probe's ICMP echo in "
        + rtt(probe)
        + replies
        + ".";
  }

  /** The intended tables themselves block it (not only a host that is behind or silent). */
  private static boolean brokenAsIntended(TraceAnswer intended) {
    return !intended.reachable() && intended.blockers().stream().anyMatch(b -> !b.assumedFixed());
  }

  /**
   * Why the live packet stopped although the intended tables would deliver it: the host that
   * applies other entries, or else the first host-side blocker the trace found, unless the probe's
   * sentence says so already.
   */
  private static String why(TraceAnswer intended, AppliedComparison applied, String live) {
    if (applied != null && !applied.agrees()) {
      for (HostAgreement h : applied.hosts()) {
        if (h.state().equals("DIFFERS")) {
          return "; " + h.host() + " " + h.detail();
        }
      }
      if (applied.firstDifference() != null) {
        return "; " + clause(applied.summary());
      }
    }
    for (Blocker b : intended.blockers()) {
      if (!saysAlready(live, b.cause())) {
        return "; " + b.cause();
      }
    }
    return "";
  }

  /** Both name a host behind the fabric, in either audience's words. */
  private static boolean saysAlready(String live, String cause) {
    if (live.contains(cause)) {
      return true;
    }
    boolean liveBehind =
        live.contains("behind the fabric") || live.contains("not applied your latest change");
    boolean causeBehind =
        cause.contains("has not applied generation")
            || cause.contains("not applied your latest change");
    return liveBehind && causeBehind;
  }

  private static String rtt(ProbeAnswer probe) {
    return probe.rttMillis().isEmpty()
        ? "? ms"
        : String.format(Locale.ROOT, "%.2f ms", probe.rttMillis().getFirst());
  }

  /** A sentence as a clause inside another: no full stop, first letter small. */
  static String clause(String sentence) {
    String s = stripped(sentence);
    return s.isEmpty() ? s : Character.toLowerCase(s.charAt(0)) + s.substring(1);
  }

  private static String stripped(String sentence) {
    String s = sentence == null ? "" : sentence.strip();
    return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
  }
}
