package io.weft.fabric.tables;

/**
 * What an agent says it forwards with.
 *
 * @param generation the generation it applied
 * @param digest {@code TableJson.digest} of its table
 * @param countersJson its counters as JSON, stored as given (bounded in size)
 * @param lastRejection why it refused the last table it refused, or null
 * @param underlayJson the state of its underlay interface as JSON ({@code AgentStatus.Underlay}:
 *     interface, expected PA, addresses, whether the PA is there, the problem), or null when the
 *     agent checks no interface
 */
public record AgentReport(
    long generation,
    String digest,
    String countersJson,
    String lastRejection,
    String underlayJson) {

  /** A report without underlay state (an agent that checks no interface). */
  public AgentReport(long generation, String digest, String countersJson, String lastRejection) {
    this(generation, digest, countersJson, lastRejection, null);
  }
}
