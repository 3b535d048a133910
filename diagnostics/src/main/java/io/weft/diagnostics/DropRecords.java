package io.weft.diagnostics;

import io.weft.fabric.Caller;
import io.weft.fabric.HostId;
import java.util.List;

/**
 * The drops agents report, kept bounded per host where every replica can serve them. Operators see
 * every drop with host names and PAs; a tenant sees the drops of its own VM networks without them
 * (another tenant's VM network is "not found"). Every query is audited.
 */
public interface DropRecords {

  /**
   * Keeps what a host's agent reported (called with the agent's authenticated host).
   *
   * @param lost records the agent's ring lost before this report
   * @throws io.weft.fabric.InvalidRequestException a malformed record (the field named)
   */
  void record(HostId host, long lost, List<ReportedDrop> drops);

  /** Recent drops in the query's scope, newest first, with how many records were lost. */
  DropList recent(Caller caller, DropQuery query);
}
