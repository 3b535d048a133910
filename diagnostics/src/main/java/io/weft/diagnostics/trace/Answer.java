package io.weft.diagnostics.trace;

import io.weft.diagnostics.Blocker;
import io.weft.diagnostics.PathStep;
import io.weft.diagnostics.TraceAnswer;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.stream.Collectors;

/** Turns a finished {@link TraceRun} into a {@link TraceAnswer} that opens with one sentence. */
final class Answer {

  private final TraceRun run;
  private final String source;
  private final TracedPacket packet;
  private final String tables;

  Answer(TraceRun run, String source, TracedPacket packet, String tables) {
    this.run = run;
    this.source = source;
    this.packet = packet;
    this.tables = tables;
  }

  /**
   * @param arrived the request and its reply made it (possibly only as if blockers were fixed)
   * @param reached what was reached, e.g. "VM db (10.0.1.7)"; null when it is not known
   */
  TraceAnswer done(boolean arrived, String reached) {
    String destination = reached == null ? packet.destination().toString() : reached;
    boolean reachable = arrived && run.clean();
    String causes = run.blockers.stream().map(Blocker::cause).collect(Collectors.joining("; "));
    String summary;
    if (reachable) {
      summary =
          "Reachable: "
              + packet.describe()
              + " from "
              + source
              + " reaches "
              + destination
              + " and the reply comes back"
              + path()
              + ".";
    } else if (arrived) {
      summary = "Reachable on the fabric's intended tables, but " + causes + ".";
    } else {
      summary = capitalized(causes) + ".";
    }
    return new TraceAnswer(
        run.visible(summary),
        reachable,
        tables,
        run.visible(source),
        run.visible(destination),
        packet.describe(),
        run.visibleSteps(),
        run.visibleBlockers(),
        run.visibleNotes());
  }

  private String path() {
    if (!run.operator) {
      return "";
    }
    Set<String> hosts = new LinkedHashSet<>();
    for (PathStep s : run.steps) {
      if (s.direction() == PathStep.Direction.FORWARD) {
        hosts.add(s.host());
      }
    }
    return hosts.isEmpty() ? "" : " (" + String.join(" → ", hosts) + ")";
  }

  private static String capitalized(String s) {
    return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
  }
}
