package io.weft.fabric.tables.internal;

import java.util.Objects;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * After a restore from a backup, agents hold tables newer than the database: an agent at generation
 * 50 meets a restored host at 40. Asked for "changes since 50" the fabric answers a snapshot, but
 * only until the restored host's generation catches up: at 50 it would answer "no change", past 50
 * a delta from another history, and the agent would keep a table the database never described.
 *
 * <p>So at start, before the web server takes any poll, each replica compares the database's name
 * (PostgreSQL's cluster identifier and database OID, which a restore or copy changes) with the one
 * recorded in the database. When they differ, every host's generation jumps by 2^32 with no log
 * entries in between: every agent's next poll, whatever generation it holds, finds the log does not
 * cover it and gets a full snapshot. Replicas starting together serialise on the recorded row, so
 * the jump happens once. H2 (one process, no restore procedure) is left alone.
 */
@Component
class RestoredDatabaseGuard implements InitializingBean {

  static final long GENERATION_JUMP = 1L << 32;

  private static final Logger LOG = LoggerFactory.getLogger(RestoredDatabaseGuard.class);

  private final JdbcClient jdbc;
  private final DatabaseKind database;
  private final TransactionTemplate transaction;

  RestoredDatabaseGuard(
      JdbcClient jdbc, DatabaseKind database, PlatformTransactionManager transactions) {
    this.jdbc = jdbc;
    this.database = database;
    this.transaction = new TransactionTemplate(transactions);
  }

  @Override
  public void afterPropertiesSet() {
    if (database.isPostgres()) {
      transaction.executeWithoutResult(s -> check());
    }
  }

  /**
   * The cluster's system identifier, which differs between clusters whose databases may share an
   * OID; "cluster" where this role may not read it (then only a restore into another database of
   * the same cluster, the common case, is told apart).
   */
  private String cluster() {
    boolean readable =
        jdbc.sql("SELECT has_function_privilege('pg_control_system()', 'EXECUTE')")
            .query(Boolean.class)
            .single();
    return readable
        ? jdbc.sql("SELECT system_identifier::text FROM pg_control_system()")
            .query(String.class)
            .single()
        : "cluster";
  }

  private void check() {
    String recorded =
        jdbc.sql(
                "SELECT recorded_as FROM fabric_database_identity WHERE item = 'postgres-database'"
                    + " FOR UPDATE")
            .query(String.class)
            .optional()
            .orElse(null);
    String actual =
        cluster()
            + "/"
            + jdbc.sql("SELECT oid::text FROM pg_database WHERE datname = current_database()")
                .query(String.class)
                .single();
    if (Objects.equals(recorded, actual)) {
      return;
    }
    // In lock order first: a replica already serving places VMs meanwhile, and its transactions
    // take host table rows in that order; an unordered UPDATE of every row could deadlock with one.
    jdbc.sql("SELECT host_id FROM fabric_table_host ORDER BY host_id FOR NO KEY UPDATE")
        .query(UUID.class)
        .list();
    int hosts =
        jdbc.sql("UPDATE fabric_table_host SET generation = generation + :jump")
            .param("jump", GENERATION_JUMP)
            .update();
    jdbc.sql(
            "UPDATE fabric_database_identity SET recorded_as = :v WHERE item = 'postgres-database'")
        .param("v", actual)
        .update();
    if (recorded != null) {
      LOG.warn(
          "This database was restored or copied (it was {}, it is {}): the tables of {} hosts"
              + " moved to new generations, so every agent takes a full snapshot",
          recorded,
          actual,
          hosts);
    }
  }
}
