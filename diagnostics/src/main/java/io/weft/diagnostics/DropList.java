package io.weft.diagnostics;

import java.util.List;

/**
 * Recent drops, newest first, and how many records were lost on the way.
 *
 * @param scope what was listed, e.g. "VM network …" or "host …"
 * @param lost records lost on the hosts in scope (overwritten in an agent's ring before it could
 *     report them, or beyond the fabric's bound per host); they may have belonged to any VM network
 *     on those hosts
 * @param drops at most the query's limit
 */
public record DropList(String scope, long lost, List<DropEntry> drops) {

  public DropList {
    drops = List.copyOf(drops);
  }
}
