package io.weft.fabric.tables.internal;

import io.weft.dataplane.table.HostTable;
import io.weft.dataplane.table.TableDelta;
import io.weft.dataplane.table.TableMessage;
import io.weft.dataplane.table.VmNetworkChange;
import io.weft.dataplane.table.VmNetworkTable;
import io.weft.fabric.NotFoundException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Answers "changes since N" from the change log. Runs inside a repeatable-read transaction opened
 * by the caller, so the generation, the log and the model are read at one instant.
 *
 * <p>One missing generation is answered with the logged delta itself. Several are folded into one
 * delta without knowing the agent's table: every VM network a logged delta touched is sent whole
 * (removed first if the agent had it at N, which the log's per-entry "joined" lists tell exactly).
 */
@Component
class TableDistribution {

  private final ChangeLog log;
  private final FullCompiler full;
  private final JdbcClient jdbc;

  TableDistribution(ChangeLog log, FullCompiler full, JdbcClient jdbc) {
    this.log = log;
    this.full = full;
    this.jdbc = jdbc;
  }

  long generation(UUID host) {
    return log.generation(host).orElseThrow(() -> new NotFoundException("no such host", "hostId"));
  }

  HostTable snapshot(UUID host) {
    return full.compute(host, generation(host));
  }

  /** The snapshot with only those of {@code networks} that the host has. */
  HostTable snapshot(UUID host, Collection<UUID> networks) {
    return full.compute(host, generation(host), networks);
  }

  /**
   * What an agent at {@code since} gets: nothing (it is current), a delta, or a snapshot. With
   * {@code buildSnapshots} false a due snapshot is not built here but answered as {@link
   * Reply#snapshotDue()}, so the caller can build it under {@link SnapshotAdmission}.
   */
  Reply since(UUID host, long since, boolean buildSnapshots) {
    long current = generation(host);
    if (since == current) {
      return Reply.CURRENT;
    }
    if (since <= 0 || since > current) {
      return snapshot(host, current, buildSnapshots);
    }
    List<ChangeLog.Entry> entries = log.since(host, since);
    if (entries.size() != current - since || entries.getFirst().generation() != since + 1) {
      return snapshot(host, current, buildSnapshots); // pruned
    }
    if (entries.size() == 1) {
      return new Reply(new TableMessage.Delta(entries.getFirst().delta()), false);
    }
    return new Reply(new TableMessage.Delta(fold(host, since, current, entries)), false);
  }

  private Reply snapshot(UUID host, long current, boolean build) {
    return build
        ? new Reply(new TableMessage.Snapshot(full.compute(host, current)), false)
        : Reply.SNAPSHOT_DUE;
  }

  /** A poll's answer: a message, none (current), or "a snapshot is due" (not built yet). */
  record Reply(TableMessage message, boolean snapshotDue) {

    static final Reply CURRENT = new Reply(null, false);
    static final Reply SNAPSHOT_DUE = new Reply(null, true);

    Optional<TableMessage> asMessage() {
      return Optional.ofNullable(message);
    }
  }

  private TableDelta fold(UUID host, long since, long current, List<ChangeLog.Entry> entries) {
    Set<UUID> present =
        new HashSet<>(
            jdbc.sql("SELECT vm_network_id FROM fabric_table_span WHERE host_id = :h")
                .param("h", host)
                .query(UUID.class)
                .list());
    Set<UUID> atSince = new HashSet<>(present);
    Set<UUID> touched = new LinkedHashSet<>();
    for (int i = entries.size() - 1; i >= 0; i--) {
      ChangeLog.Entry e = entries.get(i);
      atSince.removeAll(e.joined());
      atSince.addAll(e.delta().removedNetworks());
      touched.addAll(e.delta().removedNetworks());
      e.delta().changedNetworks().forEach(c -> touched.add(c.routingDomainId()));
    }
    List<UUID> removed = new ArrayList<>();
    Set<UUID> resend = new LinkedHashSet<>();
    for (UUID n : touched) {
      if (atSince.contains(n)) {
        removed.add(n);
      }
      if (present.contains(n)) {
        resend.add(n);
      }
    }
    List<VmNetworkChange> changes = new ArrayList<>();
    Map<UUID, VmNetworkTable> tables = full.networks(Map.of(host, resend)).get(host);
    for (UUID n : resend) {
      VmNetworkTable t = tables.get(n);
      changes.add(
          new VmNetworkChange(
              n, t.subnets(), List.of(), t.lookupRecords(), List.of(), t.ports(), List.of()));
    }
    return new TableDelta(since, current, null, removed, changes);
  }
}
