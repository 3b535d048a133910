package io.weft.fabric.internal;

import io.weft.fabric.Caller;
import io.weft.fabric.ConcurrentChangeException;
import io.weft.fabric.ConflictException;
import io.weft.fabric.FabricException;
import io.weft.fabric.TenantId;
import io.weft.ipam.IpamException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.ConcurrencyFailureException;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Runs one change: in a transaction, audited either way. A success is audited inside the change's
 * own transaction; a refusal is audited in a transaction of its own after the change rolled back,
 * so nothing of a refused change is ever half-written but the refusal is still on record.
 */
@Component
class FabricOperations {

  private static final Logger log = LoggerFactory.getLogger(FabricOperations.class);

  /** How many times a change that lost a race with a concurrent one is run in all. */
  static final int ATTEMPTS = 4;

  private final TransactionTemplate transaction;
  private final AuditRecorder audit;

  FabricOperations(PlatformTransactionManager transactions, AuditRecorder audit) {
    this.transaction = new TransactionTemplate(transactions);
    this.audit = audit;
  }

  /**
   * A change whose audit target is known only from its result (e.g. a new object's id).
   *
   * <p>Run on its own, a change that lost a race to a concurrent one (PostgreSQL chose it as a
   * deadlock's victim, a lock or serialization failure, or a unique key another transaction took)
   * is run again, in a new transaction, up to {@value #ATTEMPTS} times: nothing of it was written,
   * and its checks then see what the other committed (a name taken is refused as such). Only when
   * every attempt lost a lock is the caller told to retry ({@link ConcurrentChangeException}); a
   * key that stayed taken is a plain conflict. Inside a caller's transaction it is not retried
   * here: that transaction is lost with it.
   */
  <T> T change(
      Caller caller, TenantId tenant, String action, Function<T, String> target, Supplier<T> work) {
    boolean own = !TransactionSynchronizationManager.isActualTransactionActive();
    for (int attempt = 1; ; attempt++) {
      try {
        return transaction.execute(status -> {
          T result = work.get();
          audit.write(caller, tenant, action, target.apply(result), "OK", null);
          return result;
        });
      } catch (FabricException | IpamException e) {
        refused(caller, tenant, action, e.getMessage());
        throw e;
      } catch (DataIntegrityViolationException | ConcurrencyFailureException e) {
        String cause = e.getMostSpecificCause().toString();
        if (own && attempt < ATTEMPTS) {
          log.info(
              "{} lost to a concurrent change (attempt {}), run again: {}", action, attempt, cause);
          pause(attempt);
          continue;
        }
        log.warn("{} lost to a concurrent change {} times: {}", action, attempt, cause);
        refused(caller, tenant, action, "concurrent change");
        if (e instanceof DataIntegrityViolationException) {
          // A key or reference that stayed taken or gone every time: no longer a race, so no
          // invitation to retry either.
          throw new ConflictException(
              "this conflicts with the current state or with a change made at the same moment");
        }
        throw new ConcurrentChangeException(
            "this conflicts with a change made at the same moment; nothing was changed, please"
                + " retry");
      }
    }
  }

  /** A short random pause, longer after each loss, so the racing changes do not meet again. */
  private static void pause(int attempt) {
    try {
      Thread.sleep(ThreadLocalRandom.current().nextLong(5, 25L << attempt));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ConcurrentChangeException("interrupted while retrying a concurrent change");
    }
  }

  /** A change with a known target and no result. */
  void change(Caller caller, TenantId tenant, String action, String target, Runnable work) {
    change(
        caller,
        tenant,
        action,
        ignored -> target,
        () -> {
          work.run();
          return Boolean.TRUE;
        });
  }

  /** A read: in a read-only transaction, not audited. */
  <T> T read(Supplier<T> work) {
    TransactionTemplate readOnly = new TransactionTemplate(transaction.getTransactionManager());
    readOnly.setReadOnly(true);
    return readOnly.execute(status -> work.get());
  }

  private void refused(Caller caller, TenantId tenant, String action, String reason) {
    transaction.executeWithoutResult(
        status -> audit.write(caller, tenant, action, null, "REFUSED", reason));
  }
}
