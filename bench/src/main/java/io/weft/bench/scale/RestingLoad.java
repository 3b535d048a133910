package io.weft.bench.scale;

import java.time.Duration;
import java.util.Map;

/**
 * What agents cost at rest, per agent and minute: their requests (table polls, status reports,
 * command requests) and the database statements of that time (pg_stat_statements, the replicas' own
 * background work included: the liveness batch, Quartz, the drift audit when it falls in). At
 * 10,000 agents the resting load alone saturated 2 cores (docs/benchmarks.md, run I).
 */
final class RestingLoad {

  /** How many of the most frequent statements at rest are listed. */
  private static final int TOP_STATEMENTS = 15;

  private RestingLoad() {}

  /**
   * The length of the resting phase: WEFT_BENCH_SCALE_REST (ISO-8601, e.g. PT120S); none when
   * unset. Two table waits give every agent about two polls however their starts were spread.
   */
  static Duration length() {
    String forced = System.getenv("WEFT_BENCH_SCALE_REST");
    return forced == null || forced.isBlank() ? Duration.ZERO : Duration.parse(forced.strip());
  }

  /** Lets the agents rest for {@code length} with nothing changing and prints what they cost. */
  static void measure(SimulatedAgents agents, ScaleRun db, Duration length) throws Exception {
    long polls = agents.polls.get();
    long reports = agents.reports.get();
    long commands = agents.commandRequests();
    Map<String, Long> callsBefore = db.callsByStatement();
    ScaleRun.DbLoad before = db.load();
    Thread.sleep(length);
    ScaleRun.DbLoad after = db.load();
    Map<String, Long> callsAfter = db.callsByStatement();
    double agentMinutes = agents.size() * (after.nanos() - before.nanos()) / 60e9;
    double statements = after.statementsPerSecondSince(before);
    System.out.printf(
        "at rest for %d s (%,d agents), per agent per minute: %.2f table polls, %.2f status"
            + " reports, %.2f command requests; database %s per agent per minute (%s)%n",
        length.toSeconds(),
        agents.size(),
        (agents.polls.get() - polls) / agentMinutes,
        (agents.reports.get() - reports) / agentMinutes,
        (agents.commandRequests() - commands) / agentMinutes,
        statements < 0
            ? "statements not measured"
            : "%.2f statements"
                .formatted(statements * (after.nanos() - before.nanos()) / 1e9 / agentMinutes),
        after.since(before));
    // Which statements: the agents' own and the replicas' background work, told apart by eye.
    callsAfter.entrySet().stream()
        .map(e -> Map.entry(e.getKey(), e.getValue() - callsBefore.getOrDefault(e.getKey(), 0L)))
        .filter(e -> e.getValue() > 0)
        .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
        .limit(TOP_STATEMENTS)
        .forEach(e ->
            System.out.printf(
                "  %,8d x (%.2f per agent per minute) %s%n",
                e.getValue(), e.getValue() / agentMinutes, oneLine(e.getKey())));
  }

  private static String oneLine(String sql) {
    String line = sql.replaceAll("\\s+", " ").strip();
    return line.length() > 160 ? line.substring(0, 160) + "…" : line;
  }
}
