package io.weft.fabric.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.weft.fabric.Caller;
import io.weft.fabric.ConcurrentChangeException;
import io.weft.fabric.ConflictException;
import io.weft.fabric.InvalidRequestException;
import io.weft.fabric.identity.AccountId;
import io.weft.fabric.identity.Role;
import java.time.Clock;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.PessimisticLockingFailureException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A change that loses a race with a concurrent one (a deadlock's victim, a key another transaction
 * took) is run again in a new transaction, and only the attempt that commits leaves anything
 * behind; when every attempt loses, the caller is told to retry, never that its request conflicts.
 */
class FabricOperationsTest {

  private static final Caller ADMIN =
      new Caller(new AccountId(UUID.randomUUID()), "admin", Role.OPERATOR, Optional.empty());

  private JdbcClient jdbc;
  private DataSourceTransactionManager transactions;
  private FabricOperations operations;
  private final AtomicInteger attempts = new AtomicInteger();

  @BeforeEach
  void database() {
    DriverManagerDataSource data =
        new DriverManagerDataSource(
            "jdbc:h2:mem:ops-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", "sa", "");
    jdbc = JdbcClient.create(data);
    jdbc.sql("CREATE TABLE written (attempt INT)").update();
    jdbc.sql(
            "CREATE TABLE fabric_audit (at TIMESTAMP, actor VARCHAR(254), tenant_id UUID,"
                + " action VARCHAR(100), target VARCHAR(200), result VARCHAR(20),"
                + " detail VARCHAR(1000))")
        .update();
    transactions = new DataSourceTransactionManager(data);
    operations = new FabricOperations(transactions, new AuditRecorder(jdbc, Clock.systemUTC()));
  }

  /** Writes a row, then loses to a concurrent change on the first {@code losses} attempts. */
  private String work(int losses, RuntimeException loss) {
    int attempt = attempts.incrementAndGet();
    jdbc.sql("INSERT INTO written (attempt) VALUES (:a)").param("a", attempt).update();
    if (attempt <= losses) {
      throw loss;
    }
    return "done";
  }

  @Test
  void aDeadlocksVictimIsRunAgainAndOnlyTheAttemptThatCommitsIsWritten() {
    String result =
        operations.change(
            ADMIN,
            null,
            "test.change",
            r -> r,
            () -> work(2, new PessimisticLockingFailureException("deadlock detected")));

    assertThat(result).isEqualTo("done");
    assertThat(attempts).hasValue(3);
    assertThat(jdbc.sql("SELECT attempt FROM written").query(Integer.class).list())
        .containsExactly(3);
    assertThat(audit()).containsExactly("OK");
  }

  @Test
  void aKeyTakenByAConcurrentChangeIsAlsoRunAgain() {
    operations.change(
        ADMIN,
        null,
        "test.change",
        r -> r,
        () -> work(1, new DataIntegrityViolationException("duplicate key")));

    assertThat(attempts).hasValue(2);
    assertThat(audit()).containsExactly("OK");
  }

  @Test
  void whenEveryAttemptLosesTheCallerIsToldToRetryNotThatItConflicts() {
    assertThatThrownBy(() ->
            operations.change(
                ADMIN,
                null,
                "test.change",
                r -> r,
                () -> work(99, new PessimisticLockingFailureException("deadlock detected"))))
        .isInstanceOf(ConcurrentChangeException.class)
        .isInstanceOf(ConflictException.class)
        .hasMessageContaining("please retry");

    assertThat(attempts).hasValue(FabricOperations.ATTEMPTS);
    assertThat(jdbc.sql("SELECT count(*) FROM written").query(Integer.class).single()).isZero();
    assertThat(audit()).containsExactly("REFUSED");
  }

  @Test
  void aKeyThatStaysTakenIsAConflictNotAnInvitationToRetry() {
    assertThatThrownBy(() ->
            operations.change(
                ADMIN,
                null,
                "test.change",
                r -> r,
                () -> work(99, new DataIntegrityViolationException("duplicate key"))))
        .isInstanceOf(ConflictException.class)
        .isNotInstanceOf(ConcurrentChangeException.class);

    assertThat(attempts).hasValue(FabricOperations.ATTEMPTS);
  }

  @Test
  void insideACallersTransactionItIsNotRunAgainForThatTransactionIsLostWithIt() {
    TransactionTemplate outer = new TransactionTemplate(transactions);

    assertThatThrownBy(() ->
            outer.executeWithoutResult(status ->
                operations.change(
                    ADMIN,
                    null,
                    "test.change",
                    r -> r,
                    () -> work(1, new PessimisticLockingFailureException("deadlock detected")))))
        .isInstanceOf(ConcurrentChangeException.class);

    assertThat(attempts).hasValue(1);
  }

  @Test
  void aRefusalIsNeverRunAgain() {
    assertThatThrownBy(() ->
            operations.change(
                ADMIN,
                null,
                "test.change",
                r -> r,
                () -> work(1, new InvalidRequestException("bad", "name"))))
        .isInstanceOf(InvalidRequestException.class);

    assertThat(attempts).hasValue(1);
    assertThat(audit()).containsExactly("REFUSED");
  }

  private java.util.List<String> audit() {
    return jdbc.sql("SELECT result FROM fabric_audit").query(String.class).list();
  }
}
