package io.weft.dataplane.agent;

import io.weft.dataplane.pipeline.DropRecord;
import java.util.List;

/**
 * The drops an agent reports in one status ({@code dropRecords}, TABLE-FORMAT.md): the switch's
 * records not yet delivered to the fabric, oldest first, at most {@link #MAX_PER_REPORT}.
 *
 * @param lost records the switch's ring overwrote before this agent could report them
 * @param nextSequence where the next report starts: the sequence after the last record or loss
 *     covered here
 */
public record DropReport(long lost, List<DropRecord> records, long nextSequence) {

  public static final int MAX_PER_REPORT = 256;

  public DropReport {
    records = List.copyOf(records);
  }
}
