package io.weft.fabric.tables.internal;

import io.weft.fabric.FabricEvent;
import java.util.Map;
import java.util.UUID;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Collects a transaction's {@link FabricEvent}s (the listener runs inside the publishing
 * transaction) and compiles them once, just before that transaction commits: the change log and the
 * change commit together or not at all, and a drain that moves fifty VMs writes one delta per host
 * instead of fifty. After the commit, long-polls of the touched hosts are woken.
 */
@Component
class TablePipeline {

  private static final Object KEY = new Object();

  private final MigrationCoordinator migrations;
  private final IncrementalCompiler compiler;
  private final WakeUps wakeUps;

  TablePipeline(MigrationCoordinator migrations, IncrementalCompiler compiler, WakeUps wakeUps) {
    this.migrations = migrations;
    this.compiler = compiler;
    this.wakeUps = wakeUps;
  }

  @EventListener
  void on(FabricEvent event) {
    current().add(event);
  }

  /** The change set of the running transaction, created (and its compile scheduled) on demand. */
  ChangeSet current() {
    if (!TransactionSynchronizationManager.isSynchronizationActive()) {
      throw new IllegalStateException("fabric changes must run in a transaction");
    }
    ChangeSet cs = (ChangeSet) TransactionSynchronizationManager.getResource(KEY);
    if (cs != null) {
      return cs;
    }
    ChangeSet created = new ChangeSet();
    TransactionSynchronizationManager.bindResource(KEY, created);
    TransactionSynchronizationManager.registerSynchronization(
        new TransactionSynchronization() {
          private Map<UUID, Long> generations = Map.of();

          @Override
          public void beforeCommit(boolean readOnly) {
            generations = run(created);
          }

          @Override
          public void afterCommit() {
            wakeUps.committed(generations);
          }

          @Override
          public void afterCompletion(int status) {
            TransactionSynchronizationManager.unbindResourceIfPossible(KEY);
          }
        });
    return created;
  }

  private Map<UUID, Long> run(ChangeSet cs) {
    migrations.beforeCompile(cs);
    if (cs.isEmpty()) {
      cs.tableRowWrites.values().forEach(Runnable::run);
      return Map.of();
    }
    Map<UUID, Long> generations = compiler.compile(cs);
    migrations.afterCompile(cs, generations);
    wakeUps.beforeCommit(generations);
    return generations;
  }
}
