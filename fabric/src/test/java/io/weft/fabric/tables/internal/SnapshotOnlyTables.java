package io.weft.fabric.tables.internal;

import io.weft.dataplane.table.HostTable;
import io.weft.dataplane.table.TableMessage;
import io.weft.fabric.Caller;
import io.weft.fabric.HostId;
import io.weft.fabric.tables.AgentReport;
import io.weft.fabric.tables.HostTableService;
import io.weft.fabric.tables.HostTableStatus;
import io.weft.fabric.tables.MigrationRecord;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.BooleanSupplier;

/**
 * A deliberately broken fabric for {@link IncrementalMatchesFullTest} to catch: its tables are
 * always right, but it answers every change with a full snapshot, as a compiler without an
 * incremental path would. A test that only compares tables cannot tell it from the real one.
 */
final class SnapshotOnlyTables implements HostTableService {

  private final HostTableService real;

  SnapshotOnlyTables(HostTableService real) {
    this.real = real;
  }

  @Override
  public Optional<TableMessage> changesSince(HostId host, long since) {
    return real.changesSince(host, since)
        .map(m -> new TableMessage.Snapshot(real.intendedTable(host)));
  }

  @Override
  public long generation(HostId host) {
    return real.generation(host);
  }

  @Override
  public HostTable intendedTable(HostId host) {
    return real.intendedTable(host);
  }

  @Override
  public HostTable intendedTable(HostId host, Collection<UUID> vmNetworks) {
    return real.intendedTable(host, vmNetworks);
  }

  @Override
  public Optional<TableMessage> awaitChanges(HostId host, long since, Duration wait) {
    return real.awaitChanges(host, since, wait)
        .map(m -> new TableMessage.Snapshot(real.intendedTable(host)));
  }

  @Override
  public Optional<TableMessage> awaitChanges(
      HostId host, long since, Duration wait, BooleanSupplier endsEarly) {
    return real.awaitChanges(host, since, wait, endsEarly)
        .map(m -> new TableMessage.Snapshot(real.intendedTable(host)));
  }

  @Override
  public void wakeLongPolls(HostId host) {
    real.wakeLongPolls(host);
  }

  @Override
  public void agentPolled(HostId host) {
    real.agentPolled(host);
  }

  @Override
  public void writeAgentSightings() {
    real.writeAgentSightings();
  }

  @Override
  public HostTableStatus reportApplied(HostId host, AgentReport report) {
    return real.reportApplied(host, report);
  }

  @Override
  public HostTableStatus status(Caller caller, HostId host) {
    return real.status(caller, host);
  }

  @Override
  public Optional<AgentReport> lastReport(Caller caller, HostId host) {
    return real.lastReport(caller, host);
  }

  @Override
  public List<MigrationRecord> migrations(Caller caller, int limit) {
    return real.migrations(caller, limit);
  }
}
