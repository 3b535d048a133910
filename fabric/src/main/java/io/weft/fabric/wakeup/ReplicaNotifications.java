package io.weft.fabric.wakeup;

import java.lang.reflect.Array;
import java.lang.reflect.Method;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Hints between replicas over PostgreSQL's NOTIFY/LISTEN; on any other database (H2: one process)
 * it sends and listens to nothing. A writer calls {@link #notifyOnCommit} inside its transaction
 * (PostgreSQL delivers at commit, never for a rollback); every replica's one listening connection
 * hands each payload to the channel's {@link Subscriber}. After (re)connecting, every subscriber is
 * told that it may have missed notifications, so its waiters reread.
 *
 * <p>pgjdbc is reached by reflection because the fabric compiles without it (the application picks
 * the driver at start): only {@code PGConnection.getNotifications(int)}, {@code
 * PGNotification.getName()} and {@code getParameter()}.
 */
public final class ReplicaNotifications implements SmartLifecycle {

  /** What a channel's notifications do on this replica. */
  public interface Subscriber {

    /** A NOTIFY payload from any replica (this one included). */
    void notified(String payload);

    /** Notifications may have been missed (the listener (re)connected): wake every waiter. */
    void mayHaveMissedNotifications();

    /**
     * The listener lost its connection (or stopped): until the next {@link
     * #mayHaveMissedNotifications()}, notifications from other replicas are not heard. For
     * subscribers that must not trust what they remember meanwhile (a cache); waiters need not.
     */
    default void stoppedListening() {}
  }

  private static final Logger LOG = LoggerFactory.getLogger(ReplicaNotifications.class);
  private static final Pattern CHANNEL_NAME = Pattern.compile("[a-z_][a-z0-9_]{0,62}");
  private static final int POLL_MILLIS = 500;

  private final DataSource dataSource;
  private final JdbcClient jdbc;
  private final boolean postgres;
  private final Map<String, Subscriber> subscribers = new ConcurrentHashMap<>();
  private volatile boolean running;
  private volatile Thread thread;

  /** Asks the database once whether it is PostgreSQL. */
  public ReplicaNotifications(DataSource dataSource) {
    this(dataSource, isPostgres(dataSource));
  }

  public ReplicaNotifications(DataSource dataSource, boolean postgres) {
    this.dataSource = dataSource;
    this.jdbc = JdbcClient.create(dataSource);
    this.postgres = postgres;
  }

  /** True on PostgreSQL, where replicas notify each other. */
  public boolean acrossReplicas() {
    return postgres;
  }

  /**
   * Hands the channel's notifications to the subscriber from now on (the listener picks up a
   * channel subscribed after it started within half a second). One subscriber per channel.
   */
  public void subscribe(String channel, Subscriber subscriber) {
    requireChannelName(channel);
    if (subscribers.putIfAbsent(channel, subscriber) != null) {
      throw new IllegalStateException("channel " + channel + " already has a subscriber");
    }
  }

  /**
   * Inside the writing transaction: the hint for every replica, sent by PostgreSQL at commit.
   * Payloads must stay under 8000 bytes.
   */
  public void notifyOnCommit(String channel, String payload) {
    if (!postgres) {
      return;
    }
    jdbc.sql("SELECT pg_notify(:channel, :payload)")
        .param("channel", requireChannelName(channel))
        .param("payload", payload)
        .query()
        .listOfRows();
  }

  @Override
  public void start() {
    if (!postgres || running) {
      return;
    }
    running = true;
    thread = Thread.ofPlatform().daemon().name("weft-replica-listen").start(this::loop);
  }

  private void loop() {
    while (running) {
      Set<String> listening = new HashSet<>();
      try (Connection c = dataSource.getConnection()) {
        c.setAutoCommit(true);
        Class<?> pgConnection = Class.forName("org.postgresql.PGConnection");
        Object pg = c.unwrap(pgConnection);
        Method get = pgConnection.getMethod("getNotifications", int.class);
        Class<?> pgNotification = Class.forName("org.postgresql.PGNotification");
        Method name = pgNotification.getMethod("getName");
        Method parameter = pgNotification.getMethod("getParameter");
        while (running) {
          listenToNewChannels(c, listening);
          Object notifications = get.invoke(pg, POLL_MILLIS);
          int n = notifications == null ? 0 : Array.getLength(notifications);
          for (int i = 0; i < n; i++) {
            Object note = Array.get(notifications, i);
            Subscriber subscriber = subscribers.get((String) name.invoke(note));
            if (subscriber != null) {
              subscriber.notified((String) parameter.invoke(note));
            }
          }
        }
      } catch (Exception e) {
        subscribers.values().forEach(Subscriber::stoppedListening);
        if (running) {
          LOG.warn("LISTEN {} failed; retrying", listening, e);
          sleep(Duration.ofSeconds(1));
        }
      }
    }
  }

  /** LISTENs to channels not listened to yet; their waiters reread what they may have missed. */
  private void listenToNewChannels(Connection c, Set<String> listening) throws SQLException {
    for (Map.Entry<String, Subscriber> channel : subscribers.entrySet()) {
      if (listening.contains(channel.getKey())) {
        continue;
      }
      try (Statement s = c.createStatement()) {
        s.execute("LISTEN " + channel.getKey());
      }
      listening.add(channel.getKey());
      channel.getValue().mayHaveMissedNotifications();
    }
  }

  private static String requireChannelName(String channel) {
    if (channel == null || !CHANNEL_NAME.matcher(channel).matches()) {
      throw new IllegalArgumentException("not a channel name: " + channel);
    }
    return channel;
  }

  private static boolean isPostgres(DataSource dataSource) {
    try (Connection c = dataSource.getConnection()) {
      return c.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT).contains("postgres");
    } catch (SQLException e) {
      return false;
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
    if (postgres) {
      subscribers.values().forEach(Subscriber::stoppedListening);
    }
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
