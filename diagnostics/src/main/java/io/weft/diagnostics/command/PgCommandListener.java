package io.weft.diagnostics.command;

import java.lang.reflect.Array;
import java.lang.reflect.Method;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * On PostgreSQL, LISTENs for other replicas' command changes and wakes this replica's waiters.
 * Holds one pooled connection while the application runs and reconnects after a failure. pgjdbc is
 * reached by reflection because diagnostics compiles without it (the application picks the driver),
 * exactly as the fabric's table wake-up listener does.
 */
class PgCommandListener implements SmartLifecycle {

  private static final Logger LOG = LoggerFactory.getLogger(PgCommandListener.class);

  private final DataSource dataSource;
  private final CommandSignals signals;
  private final boolean postgres;
  private volatile boolean running;
  private volatile Thread thread;

  PgCommandListener(DataSource dataSource, CommandSignals signals, boolean postgres) {
    this.dataSource = dataSource;
    this.signals = signals;
    this.postgres = postgres;
  }

  @Override
  public void start() {
    if (!postgres || running) {
      return;
    }
    running = true;
    thread = Thread.ofPlatform().daemon().name("weft-commands-listen").start(this::loop);
  }

  private void loop() {
    while (running) {
      try (Connection c = dataSource.getConnection()) {
        c.setAutoCommit(true);
        try (Statement s = c.createStatement()) {
          s.execute("LISTEN " + CommandSignals.CHANNEL);
        }
        Class<?> pgConnection = Class.forName("org.postgresql.PGConnection");
        Object pg = c.unwrap(pgConnection);
        Method get = pgConnection.getMethod("getNotifications", int.class);
        Method parameter = Class.forName("org.postgresql.PGNotification").getMethod("getParameter");
        // Something may have been committed while we were (re)connecting: every waiter rereads.
        signals.wakeAll();
        while (running) {
          Object notifications = get.invoke(pg, 500);
          int n = notifications == null ? 0 : Array.getLength(notifications);
          for (int i = 0; i < n; i++) {
            signals.notified((String) parameter.invoke(Array.get(notifications, i)));
          }
        }
      } catch (Exception e) {
        if (running) {
          LOG.warn("LISTEN {} failed; retrying", CommandSignals.CHANNEL, e);
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
