package io.weft.diagnostics;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What one retention pass deleted, per kind of row, and whether it got through everything that had
 * expired ({@code complete}) or stopped at its time budget.
 */
public record PrunedRows(Map<String, Long> deleted, boolean complete) {

  public PrunedRows {
    deleted = Collections.unmodifiableMap(new LinkedHashMap<>(deleted));
  }

  public long total() {
    return deleted.values().stream().mapToLong(Long::longValue).sum();
  }

  /** e.g. "deleted 1200 rows (probes 10, agent commands 1190); more left for the next run". */
  public String summary() {
    StringBuilder b = new StringBuilder("deleted ").append(total()).append(" rows");
    String parts =
        String.join(
            ", ",
            deleted.entrySet().stream()
                .filter(e -> e.getValue() > 0)
                .map(e -> e.getKey() + " " + e.getValue())
                .toList());
    if (!parts.isEmpty()) {
      b.append(" (").append(parts).append(')');
    }
    return b.append(complete ? "" : "; more left for the next run").toString();
  }
}
