package io.weft.fabric.wakeup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.weft.testkit.PostgresTestDatabase;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Two replicas on one PostgreSQL database, each with its one listening connection for every
 * channel: a notification reaches the subscriber of its channel on both replicas once its
 * transaction commits, never for a rollback, and a channel subscribed after the listener started is
 * picked up (its waiters told they may have missed something).
 */
class ReplicaNotificationsTest {

  private static final String ORDERS = "weft_test_orders";
  private static final String PARCELS = "weft_test_parcels";
  private static PostgresTestDatabase db;
  private static DataSource dataSource;

  @BeforeAll
  static void database() {
    db = PostgresTestDatabase.createOrSkip("ReplicaNotificationsTest");
    dataSource = new DriverManagerDataSource(db.jdbcUrl(), db.user(), db.password());
  }

  @AfterAll
  static void drop() {
    if (db != null) {
      db.close();
    }
  }

  @Test
  void aCommittedNotificationReachesItsChannelOnEveryReplicaAndARollbackSendsNothing()
      throws Exception {
    ReplicaNotifications a = new ReplicaNotifications(dataSource);
    ReplicaNotifications b = new ReplicaNotifications(dataSource);
    Recorder ordersA = new Recorder();
    Recorder ordersB = new Recorder();
    Recorder parcelsB = new Recorder();
    a.subscribe(ORDERS, ordersA);
    b.subscribe(ORDERS, ordersB);
    b.subscribe(PARCELS, parcelsB);
    assertThat(a.acrossReplicas()).isTrue();
    a.start();
    b.start();
    try {
      ordersA.awaitListening();
      ordersB.awaitListening();
      parcelsB.awaitListening();
      TransactionTemplate tx =
          new TransactionTemplate(new DataSourceTransactionManager(dataSource));
      tx.executeWithoutResult(status -> {
        a.notifyOnCommit(ORDERS, "rolled back");
        status.setRollbackOnly();
      });
      tx.executeWithoutResult(status -> a.notifyOnCommit(ORDERS, "h:1"));
      tx.executeWithoutResult(status -> b.notifyOnCommit(PARCELS, "p:2"));

      assertThat(ordersA.next()).isEqualTo("h:1");
      assertThat(ordersB.next()).isEqualTo("h:1");
      assertThat(parcelsB.next()).isEqualTo("p:2");
      assertThat(ordersB.payloads).isEmpty();
      assertThat(a.isUpToDate()).as("its listener answered its check").isTrue();
    } finally {
      a.stop();
      b.stop();
    }
    assertThat(a.isUpToDate()).as("stopped: nothing is heard").isFalse();
  }

  @Test
  void aChannelSubscribedAfterTheListenerStartedIsListenedTo() throws Exception {
    ReplicaNotifications replica = new ReplicaNotifications(dataSource);
    replica.start();
    try {
      Recorder late = new Recorder();
      replica.subscribe(PARCELS, late);
      late.awaitListening();
      new TransactionTemplate(new DataSourceTransactionManager(dataSource))
          .executeWithoutResult(status -> replica.notifyOnCommit(PARCELS, "late"));
      assertThat(late.next()).isEqualTo("late");
    } finally {
      replica.stop();
    }
  }

  @Test
  void aChannelNameThatIsNotAnIdentifierOrAlreadyTakenIsRefused() {
    ReplicaNotifications replica = new ReplicaNotifications(dataSource);
    assertThatThrownBy(() -> replica.subscribe("x; DROP TABLE t", new Recorder()))
        .isInstanceOf(IllegalArgumentException.class);
    replica.subscribe(ORDERS, new Recorder());
    assertThatThrownBy(() -> replica.subscribe(ORDERS, new Recorder()))
        .isInstanceOf(IllegalStateException.class);
  }

  /** Records payloads and whether LISTEN is in place. */
  private static final class Recorder implements ReplicaNotifications.Subscriber {
    final BlockingQueue<String> payloads = new LinkedBlockingQueue<>();
    final BlockingQueue<Boolean> listening = new LinkedBlockingQueue<>();

    @Override
    public void notified(String payload) {
      payloads.add(payload);
    }

    @Override
    public void mayHaveMissedNotifications() {
      listening.add(true);
    }

    void awaitListening() throws InterruptedException {
      assertThat(listening.poll(10, TimeUnit.SECONDS)).as("LISTEN in place").isTrue();
    }

    String next() throws InterruptedException {
      return payloads.poll(10, TimeUnit.SECONDS);
    }
  }
}
