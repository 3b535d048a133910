package io.weft.diagnostics.trace;

import io.weft.diagnostics.trace.FabricFacts.HostFacts;
import io.weft.fabric.HostState;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * The fabric-side state of a host on the path: down, its agent silent, or behind the fabric's
 * generation. Each is a blocker the trace continues past, since the intended table is known.
 */
final class HostChecks {

  private final Clock clock;
  private final Duration agentSilence;

  HostChecks(Clock clock, Duration agentSilence) {
    this.clock = clock;
    this.agentSilence = agentSilence;
  }

  /** Adds a CHECK step and any blockers for {@code host}, shown as {@code label}. */
  void check(TraceRun run, HostFacts host, String label) {
    String name = label;
    boolean healthy = true;
    if (host.state() == HostState.DOWN) {
      healthy = false;
      run.block(
          name,
          name + " is DOWN",
          run.operator
              ? "bring " + name + " back and set it READY, or migrate its VMs to a ready host"
              : "nothing to change on your side: the cloud's operators must bring the host back",
          true);
    }
    Instant seen = host.lastSeenAt();
    Instant now = clock.instant();
    if (seen == null || seen.isBefore(now.minus(agentSilence))) {
      healthy = false;
      String since =
          seen == null
              ? "has never reported"
              : "has not been heard from for " + Duration.between(seen, now).toSeconds() + " s";
      run.block(
          name,
          "the agent on " + name + " " + since + " (its tables may be out of date)",
          run.operator
              ? "restart the agent on " + name + " and check it can reach the fabric"
              : "nothing to change on your side: the cloud's operators must restart the host's"
                  + " agent",
          true);
    } else if (host.appliedGeneration() < host.intendedGeneration()) {
      healthy = false;
      long behind = host.intendedGeneration() - Math.max(0, host.appliedGeneration());
      run.block(
          name,
          run.operator
              ? name
                  + " has not applied generation "
                  + host.intendedGeneration()
                  + " (it forwards with "
                  + host.appliedGeneration()
                  + ", "
                  + behind
                  + " behind the fabric)"
              : name + " has not applied your latest change yet",
          run.operator
              ? "wait a few seconds; if it stays behind, check the agent on "
                  + name
                  + " (its last refusal is on the host's page)"
              : "wait a few seconds and trace again; if it persists, tell your operator",
          true);
    }
    if (healthy) {
      run.check(
          name,
          name + " is " + host.state() + " and has applied generation " + host.appliedGeneration(),
          "host state and the agent's last report");
    }
  }
}
