package io.weft.fabric.wakeup;

import java.lang.reflect.Array;
import java.lang.reflect.Method;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
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
 * <p>A listening connection can hang without an error (a partition TCP does not report, a stuck
 * backend) and would pass for a quiet one, so the listener proves it is alive: every {@code
 * checkInterval} it sends a {@code SELECT 1} on it, and every statement there fails after {@code
 * checkTimeout} (a network timeout), which counts as a lost connection. Each answered check extends
 * {@link #isUpToDate()}, which a subscriber that must not trust stale memory (a cache) consults on
 * every use, so the bound holds even if the listening thread itself is stuck.
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
  private static final int NO_WAIT = -1;

  /** Defaults of {@code weft.replica-notifications.check-interval} and {@code check-timeout}. */
  public static final Duration CHECK_INTERVAL = Duration.ofSeconds(2);

  public static final Duration CHECK_TIMEOUT = Duration.ofSeconds(5);

  private final DataSource dataSource;
  private final JdbcClient jdbc;
  private final boolean postgres;
  private final Duration checkInterval;
  private final Duration checkTimeout;
  private final Map<String, Subscriber> subscribers = new ConcurrentHashMap<>();
  private volatile boolean running;
  private volatile Thread thread;

  /** {@link System#nanoTime()} until which {@link #isUpToDate()} holds. */
  private volatile long upToDateUntil = System.nanoTime();

  /** Asks the database once whether it is PostgreSQL; checks the listener at the defaults. */
  public ReplicaNotifications(DataSource dataSource) {
    this(dataSource, CHECK_INTERVAL, CHECK_TIMEOUT);
  }

  /** Asks the database once whether it is PostgreSQL. */
  public ReplicaNotifications(
      DataSource dataSource, Duration checkInterval, Duration checkTimeout) {
    this(dataSource, isPostgres(dataSource), checkInterval, checkTimeout);
  }

  public ReplicaNotifications(DataSource dataSource, boolean postgres) {
    this(dataSource, postgres, CHECK_INTERVAL, CHECK_TIMEOUT);
  }

  public ReplicaNotifications(
      DataSource dataSource, boolean postgres, Duration checkInterval, Duration checkTimeout) {
    if (!checkInterval.isPositive() || !checkTimeout.isPositive()) {
      throw new IllegalArgumentException("the listener's check interval and timeout are positive");
    }
    this.dataSource = dataSource;
    this.jdbc = JdbcClient.create(dataSource);
    this.postgres = postgres;
    this.checkInterval = checkInterval;
    this.checkTimeout = checkTimeout;
  }

  /** True on PostgreSQL, where replicas notify each other. */
  public boolean acrossReplicas() {
    return postgres;
  }

  /**
   * True if every notification committed more than {@code checkInterval + checkTimeout} ago has
   * reached its subscriber on this replica (always true where replicas do not notify each other).
   * False while the listener is reconnecting, and when its last answered check is older than that:
   * a subscriber that answers from memory must not then (a revocation may be unheard).
   */
  public boolean isUpToDate() {
    return !postgres || (running && System.nanoTime() - upToDateUntil < 0);
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
        // Every read on this connection, the check's included, fails after checkTimeout.
        c.setNetworkTimeout(Runnable::run, Math.toIntExact(checkTimeout.toMillis()));
        Notifications notifications = new Notifications(c);
        long nextCheck = System.nanoTime();
        while (running) {
          listenToNewChannels(c, listening);
          if (System.nanoTime() - nextCheck >= 0) {
            nextCheck = proveAlive(c, notifications) + checkInterval.toNanos();
          }
          long untilCheck = Duration.ofNanos(nextCheck - System.nanoTime()).toMillis();
          handOut(notifications.take((int) Math.clamp(untilCheck, 1, POLL_MILLIS)));
        }
      } catch (Exception e) {
        upToDateUntil = System.nanoTime();
        subscribers.values().forEach(Subscriber::stoppedListening);
        if (running) {
          LOG.warn(
              "LISTEN {} failed or did not answer within {}; retrying", listening, checkTimeout, e);
          sleep(Duration.ofSeconds(1));
        }
      }
    }
  }

  /**
   * A round trip on the listening connection. PostgreSQL sends a listener every notification
   * committed before a statement arrived ahead of the statement's answer, so once those are handed
   * out, everything committed before the check was sent has been heard. Returns when it was sent.
   */
  private long proveAlive(Connection c, Notifications notifications) throws Exception {
    long sent = System.nanoTime();
    try (Statement s = c.createStatement()) {
      s.execute("SELECT 1");
    }
    handOut(notifications.take(NO_WAIT));
    upToDateUntil = sent + checkInterval.toNanos() + checkTimeout.toNanos();
    return sent;
  }

  private void handOut(List<Notification> notifications) {
    for (Notification note : notifications) {
      Subscriber subscriber = subscribers.get(note.channel());
      if (subscriber != null) {
        subscriber.notified(note.payload());
      }
    }
  }

  private record Notification(String channel, String payload) {}

  /** pgjdbc's {@code PGConnection.getNotifications(int)}, through reflection. */
  private static final class Notifications {
    private final Object pg;
    private final Method get;
    private final Method name;
    private final Method parameter;

    Notifications(Connection c) throws ReflectiveOperationException, SQLException {
      Class<?> pgConnection = Class.forName("org.postgresql.PGConnection");
      pg = c.unwrap(pgConnection);
      get = pgConnection.getMethod("getNotifications", int.class);
      Class<?> pgNotification = Class.forName("org.postgresql.PGNotification");
      name = pgNotification.getMethod("getName");
      parameter = pgNotification.getMethod("getParameter");
    }

    /** Waits up to {@code millis} for notifications; a negative wait reads only what arrived. */
    List<Notification> take(int millis) throws ReflectiveOperationException {
      Object notes = get.invoke(pg, millis);
      int n = notes == null ? 0 : Array.getLength(notes);
      List<Notification> taken = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        Object note = Array.get(notes, i);
        taken.add(new Notification((String) name.invoke(note), (String) parameter.invoke(note)));
      }
      return taken;
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
    upToDateUntil = System.nanoTime();
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
