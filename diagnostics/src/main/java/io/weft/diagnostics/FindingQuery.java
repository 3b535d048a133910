package io.weft.diagnostics;

/**
 * Which findings to list; null fields do not filter.
 *
 * @param scope exact scope, e.g. {@code vm-network:<id>}
 * @param limit 1..1000
 */
public record FindingQuery(
    String scope, FindingCategory category, FindingState state, int offset, int limit) {}
