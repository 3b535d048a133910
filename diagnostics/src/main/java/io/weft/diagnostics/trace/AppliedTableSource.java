package io.weft.diagnostics.trace;

import io.weft.dataplane.table.HostTable;
import io.weft.fabric.HostId;
import java.util.UUID;

/** What a host really forwards with for one VM network, as its agent reports it. */
public interface AppliedTableSource {

  /**
   * The host's table as applied for {@code network}: the intended one where the host's reported
   * digest for the network agrees, else the intended table with that network's entries replaced by
   * the ones the agent reports (asked through the command path).
   */
  AppliedView applied(HostId host, HostTable intended, UUID network);

  /**
   * @param state SAME, DIFFERS or UNKNOWN (then {@code table} is the intended one)
   * @param detail in words, without PAs
   */
  record AppliedView(HostTable table, String state, String detail) {}
}
