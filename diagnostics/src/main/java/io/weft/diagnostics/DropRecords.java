package io.weft.diagnostics;

import io.weft.fabric.Caller;
import io.weft.fabric.HostId;
import java.util.List;
import java.util.Map;

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
  default void record(HostId host, long lost, List<ReportedDrop> drops) {
    record(host, lost, Map.of(), drops);
  }

  /**
   * {@link #record(HostId, long, List)} with the agent's losses per VSID, so that each tenant is
   * told only its own.
   *
   * @param lostByVsid of {@code lost}, how many each VSID lost (0: records without a VSID)
   */
  void record(HostId host, long lost, Map<Integer, Long> lostByVsid, List<ReportedDrop> drops);

  /** Recent drops in the query's scope, newest first, with how many records were lost. */
  DropList recent(Caller caller, DropQuery query);
}
