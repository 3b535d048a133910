package io.weft.diagnostics.trace;

import io.weft.diagnostics.Blocker;
import io.weft.diagnostics.PathStep;
import io.weft.diagnostics.PathStep.Direction;
import io.weft.diagnostics.trace.FabricFacts.HostFacts;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * What one trace has found so far: steps, blockers, notes. It also decides what the reader may see:
 * for a tenant every host name and provider address is replaced by "source host" or "destination
 * host", so the same sentences serve both audiences.
 */
final class TraceRun {

  private static final Pattern ANY_PA = Pattern.compile("(local )?PA \\d+\\.\\d+\\.\\d+\\.\\d+");
  static final String SOURCE_HOST = "the source host";
  static final String DESTINATION_HOST = "the destination host";

  final boolean operator;
  final List<PathStep> steps = new ArrayList<>();
  final List<Blocker> blockers = new ArrayList<>();
  final List<String> notes = new ArrayList<>();
  private final Map<String, String> hidden = new LinkedHashMap<>();
  Direction direction = Direction.FORWARD;

  TraceRun(boolean operator) {
    this.operator = operator;
  }

  /** Registers a host met on the path; for tenants its name and PA become {@code role}. */
  String label(HostFacts host, String role) {
    if (!operator) {
      hidden.putIfAbsent(host.name(), role);
      hidden.putIfAbsent(host.pa().toString(), role);
      return role;
    }
    return host.name();
  }

  /** The text with host names and provider addresses hidden from tenants. */
  String visible(String text) {
    if (operator || text == null) {
      return text;
    }
    String out = text;
    for (var e : hidden.entrySet()) {
      out =
          out.replace("local PA " + e.getKey(), "local address")
              .replace("PA " + e.getKey(), e.getValue())
              .replace(e.getKey(), e.getValue());
    }
    return ANY_PA.matcher(out).replaceAll("a host");
  }

  void step(String host, String stage, String detail, String decidedBy, boolean dropped) {
    steps.add(new PathStep(direction, host, stage, detail, decidedBy, dropped));
  }

  void check(String host, String detail, String decidedBy) {
    step(host, "CHECK", detail, decidedBy, false);
  }

  void block(String where, String cause, String fix, boolean continuing) {
    // A host checked on the way out and on the way back is one blocker, not two.
    if (blockers.stream().anyMatch(b -> b.where().equals(where) && b.cause().equals(cause))) {
      return;
    }
    blockers.add(new Blocker(where, cause, fix, continuing));
  }

  void note(String text) {
    notes.add(text);
  }

  /** The steps as the reader may see them (call once the path is complete). */
  List<PathStep> visibleSteps() {
    return steps.stream()
        .map(s ->
            new PathStep(
                s.direction(),
                s.host(),
                s.stage(),
                visible(s.detail()),
                visible(s.decidedBy()),
                s.dropped()))
        .toList();
  }

  List<Blocker> visibleBlockers() {
    return blockers.stream()
        .map(b ->
            new Blocker(visible(b.where()), visible(b.cause()), visible(b.fix()), b.assumedFixed()))
        .toList();
  }

  List<String> visibleNotes() {
    return notes.stream().map(this::visible).toList();
  }

  boolean clean() {
    return blockers.isEmpty();
  }
}
