package io.weft.dataplane.agent;

import io.weft.dataplane.pipeline.DropRecord;
import java.util.List;
import java.util.Map;

/**
 * The drops an agent reports in one status ({@code dropRecords}, TABLE-FORMAT.md): the switch's
 * records not yet delivered to the fabric, oldest first, at most {@link #MAX_PER_REPORT}.
 *
 * @param lost records the switch's ring overwrote before this agent could report them
 * @param lostByVsid of those, how many each VSID lost (keys: the VSID in decimal; "0": records
 *     without a VSID), counted as the ring overwrote them, so a fabric can tell each tenant only
 *     its own losses; absent from an older agent
 * @param nextSequence where the next report starts: the sequence after the last record or loss
 *     covered here
 */
public record DropReport(
    long lost, Map<String, Long> lostByVsid, List<DropRecord> records, long nextSequence) {

  public static final int MAX_PER_REPORT = 256;

  public DropReport {
    lostByVsid = lostByVsid == null ? Map.of() : Map.copyOf(lostByVsid);
    records = List.copyOf(records);
  }

  public DropReport(long lost, List<DropRecord> records, long nextSequence) {
    this(lost, Map.of(), records, nextSequence);
  }
}
