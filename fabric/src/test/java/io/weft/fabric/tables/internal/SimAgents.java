package io.weft.fabric.tables.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.weft.dataplane.table.HostTable;
import io.weft.dataplane.table.TableJson;
import io.weft.dataplane.table.TableMessage;
import io.weft.dataplane.table.VmNetworkTable;
import io.weft.fabric.HostId;
import io.weft.fabric.tables.AgentReport;
import io.weft.fabric.tables.HostTableService;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** Agents without a data plane: they apply what the fabric sends exactly as the real one does. */
final class SimAgents {

  final HostTableService tables;
  final Map<HostId, HostTable> applied = new HashMap<>();
  int snapshots;
  int deltas;

  /**
   * Snapshots sent to an agent that already held a table the change log still covers: an
   * incremental fabric sends those agents deltas, so each one here is work a delta would have
   * saved.
   */
  int snapshotsInsteadOfDeltas;

  SimAgents(HostTableService tables) {
    this.tables = tables;
  }

  /** The same agents, holding the same tables, now talking to another fabric (a restored one). */
  SimAgents talkingTo(HostTableService other) {
    SimAgents moved = new SimAgents(other);
    moved.applied.putAll(applied);
    return moved;
  }

  /** One poll without waiting; returns the message applied, if any. */
  Optional<TableMessage> sync(HostId host) {
    HostTable current = applied.get(host);
    long since = current == null ? 0 : current.generation();
    Optional<TableMessage> message = tables.changesSince(host, since);
    message.ifPresent(m -> {
      // Through the wire format, as an agent would receive it.
      TableMessage parsed = TableJson.read(TableJson.write(m));
      switch (parsed) {
        case TableMessage.Snapshot s -> {
          snapshots++;
          if (current != null) {
            snapshotsInsteadOfDeltas++;
          }
          applied.put(host, s.table());
        }
        case TableMessage.Delta d -> {
          deltas++;
          applied.put(host, d.delta().applyTo(current));
        }
      }
    });
    return message;
  }

  void report(HostId host) {
    HostTable t = applied.get(host);
    tables.reportApplied(
        host, new AgentReport(t.generation(), TableJson.digest(t), "{\"rx\":0}", null));
  }

  void syncAndReport(HostId host) {
    sync(host);
    report(host);
  }

  /** The agent's table equals the full recompute, generation and digest included. */
  void assertMatchesFull(HostId host, String context) {
    HostTable full = tables.intendedTable(host);
    HostTable mine = applied.get(host);
    assertThat(TableJson.canonical(mine))
        .as("%s: host %s incremental vs full", context, host)
        .isEqualTo(TableJson.canonical(full));
    assertThat(TableJson.digest(mine)).isEqualTo(TableJson.digest(full));
    assertPartsMatchFull(host, full, context);
  }

  /**
   * The table of each VM network alone (a trace's read) is the full table's entry for it, and a VM
   * network the host does not have is left out.
   */
  private void assertPartsMatchFull(HostId host, HostTable full, String context) {
    for (VmNetworkTable n : full.networks()) {
      HostTable part = tables.intendedTable(host, List.of(n.routingDomainId(), UUID.randomUUID()));
      HostTable expected =
          new HostTable(
              full.hostId(),
              full.generation(),
              full.encapsulation(),
              full.localPa(),
              full.overlayMtu(),
              List.of(n));
      assertThat(TableJson.canonical(part))
          .as("%s: host %s, VM network %s alone vs full", context, host, n.routingDomainId())
          .isEqualTo(TableJson.canonical(expected));
    }
  }
}
