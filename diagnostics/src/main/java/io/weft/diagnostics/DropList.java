package io.weft.diagnostics;

import java.util.List;

/**
 * Recent drops, newest first, and how many records were lost on the way.
 *
 * @param scope what was listed, e.g. "VM network …" or "host …"
 * @param lost records lost (overwritten in an agent's ring before it could report them, or beyond
 *     the fabric's bound per host): for a VM network (tenants always: their own VM networks) the
 *     records of that VM network only, on any host; for operators asking per host or for all hosts,
 *     the hosts' totals
 * @param drops at most the query's limit
 */
public record DropList(String scope, long lost, List<DropEntry> drops) {

  public DropList {
    drops = List.copyOf(drops);
  }
}
