package io.weft.fabric.tables.internal;

import java.lang.reflect.Array;
import java.lang.reflect.Method;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * On PostgreSQL, LISTENs for other replicas' commits and wakes this replica's long-polls. Holds one
 * connection of the pool for as long as the application runs; reconnects after a failure. pgjdbc is
 * reached by reflection because the fabric compiles without it (it is the application's runtime
 * choice) — only {@code PGConnection.getNotifications(int)} and {@code getParameter()}.
 */
@Component
class PgWakeUpListener implements SmartLifecycle {

  private static final Logger LOG = LoggerFactory.getLogger(PgWakeUpListener.class);

  private final DataSource dataSource;
  private final DatabaseKind database;
  private final WakeUps wakeUps;
  private volatile boolean running;
  private volatile Thread thread;

  PgWakeUpListener(DataSource dataSource, DatabaseKind database, WakeUps wakeUps) {
    this.dataSource = dataSource;
    this.database = database;
    this.wakeUps = wakeUps;
  }

  @Override
  public void start() {
    if (!database.isPostgres() || running) {
      return;
    }
    running = true;
    thread = Thread.ofPlatform().daemon().name("weft-tables-listen").start(this::loop);
  }

  private void loop() {
    while (running) {
      try (Connection c = dataSource.getConnection()) {
        c.setAutoCommit(true);
        try (Statement s = c.createStatement()) {
          s.execute("LISTEN " + WakeUps.CHANNEL);
        }
        Class<?> pgConnection = Class.forName("org.postgresql.PGConnection");
        Object pg = c.unwrap(pgConnection);
        Method get = pgConnection.getMethod("getNotifications", int.class);
        Method parameter = Class.forName("org.postgresql.PGNotification").getMethod("getParameter");
        // A commit may have happened while we were (re)connecting: wake everyone once.
        wakeUps.wakeAll();
        while (running) {
          Object notifications = get.invoke(pg, 500);
          int n = notifications == null ? 0 : Array.getLength(notifications);
          for (int i = 0; i < n; i++) {
            Object note = Array.get(notifications, i);
            wakeUps.notified((String) parameter.invoke(note));
          }
        }
      } catch (Exception e) {
        if (running) {
          LOG.warn("LISTEN {} failed; retrying", WakeUps.CHANNEL, e);
          sleep(Duration.ofSeconds(1));
        }
      }
    }
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void stop() {
    running = false;
    Thread t = thread;
    if (t != null) {
      t.interrupt();
      try {
        t.join(2000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  @Override
  public boolean isRunning() {
    return running;
  }
}
