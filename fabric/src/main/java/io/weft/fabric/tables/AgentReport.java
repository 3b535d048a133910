package io.weft.fabric.tables;

/**
 * What an agent says it forwards with.
 *
 * @param generation the generation it applied
 * @param digest {@code TableJson.digest} of its table
 * @param countersJson its counters as JSON, stored as given (bounded in size)
 * @param lastRejection why it refused the last table it refused, or null
 */
public record AgentReport(
    long generation, String digest, String countersJson, String lastRejection) {}
